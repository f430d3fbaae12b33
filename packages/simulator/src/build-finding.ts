import { SEVERITY_PROFILE, type CatalogModule } from './module-catalog.js';
import type { ScenarioFinding, ScenarioVariance } from './scenario.js';
import type { SeededRandom } from './seeded-random.js';

/** Vulnerability statuses and how often each occurs (weights). */
const STATUS_WEIGHTS: readonly [string, number][] = [
  ['UNREVIEWED', 60],
  ['VERIFIED', 15],
  ['FALSE_POSITIVE', 8],
  ['IGNORED', 6],
  ['REMEDIATED', 6],
  ['DUPLICATE', 5],
];

const PATHS = ['/', '/login', '/search', '/products', '/products/42', '/cart', '/checkout', '/account', '/account/email', '/api/v1/orders', '/api/v1/payments', '/api/v1/users/7', '/admin/reports', '/download', '/help'];

/** Inputs of {@link buildFinding}. */
export interface BuildFindingOptions {
  id: string;
  appId: string;
  /** Host of the scanned site, e.g. `shop.demo.example`. */
  host: string;
  module: CatalogModule;
  random: SeededRandom;
  /** Force a severity or status instead of drawing one. */
  severity?: string;
  status?: string;
  /** Number of variances (default 1); extra ones hit other paths. */
  variances?: number;
  /** Include request/response exchanges (the demo does; big generated sets keep them short). */
  exchanges?: boolean;
}

function weightedStatus(random: SeededRandom): string {
  const total = STATUS_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let roll = random.next() * total;
  for (const [status, weight] of STATUS_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return status;
  }
  return 'UNREVIEWED';
}

/** Builds one realistic finding of a catalog module, deterministically from `random`. */
export function buildFinding(options: BuildFindingOptions): ScenarioFinding {
  const { module: m, random, host } = options;
  const attack = random.pick(m.module.attacks);
  const severity = options.severity ?? random.pick(m.severities);
  const profile = SEVERITY_PROFILE[severity] ?? { vector: 'AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N', score: 0 };
  const path = random.pick(PATHS);
  const parameter = m.parameterised && m.parameters.length > 0 ? random.pick(m.parameters) : undefined;
  const method = parameter !== undefined && random.next() < 0.35 ? 'POST' : 'GET';
  const url = `https://${host}${path}`;
  const variances: ScenarioVariance[] = [];
  const count = Math.max(1, options.variances ?? 1);
  for (let i = 0; i < count; i += 1) {
    const vPath = i === 0 ? path : random.pick(PATHS);
    const original = parameter === undefined ? undefined : String(1 + random.int(99));
    const target = parameter !== undefined && method === 'GET' ? `${vPath}?${parameter}=${original ?? ''}` : vPath;
    const variance: ScenarioVariance = { module_id: m.module.id, attack_id: attack.id, message: m.message, proof: m.proof };
    if (parameter !== undefined && original !== undefined) {
      variance.original_value = original;
      if (m.attackValue !== '') variance.attack_value = m.attackValue;
    }
    if (options.exchanges !== false) {
      const request = `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: Mozilla/5.0 (InsightAppSec)\r\nAccept: */*\r\n\r\n${method === 'POST' && parameter ? `${parameter}=${original ?? ''}` : ''}`;
      variance.original_exchange = { request, response: 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nServer: nginx\r\n\r\n<html>…</html>' };
      if (m.attackValue !== '' && parameter !== undefined) {
        const attacked = request.replace(`${parameter}=${original ?? ''}`, `${parameter}=${encodeURIComponent(m.attackValue)}`);
        variance.attack_exchanges = [{ request: attacked, response: `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>${m.proof}</html>` }];
      }
      variance.proof_description = `The scanner observed: ${m.message.toLowerCase()}.`;
    }
    variances.push(variance);
  }
  const finding: ScenarioFinding = {
    id: options.id,
    app_id: options.appId,
    severity,
    status: options.status ?? weightedStatus(random),
    root_cause: parameter === undefined ? { url, method } : { url, method, parameter },
    vector_string: profile.vector,
    vulnerability_score: severity === 'SAFE' || severity === 'INFORMATIONAL' ? profile.score : Math.round((profile.score - random.next() * 0.6) * 10) / 10,
    variances,
  };
  return finding;
}
