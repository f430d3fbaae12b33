// Test support only: a scenario whose data is hostile, as a scanned application (or a hostile server) can make
// it. Names, findings, failure reasons and event texts carry host logging commands, ANSI escapes, carriage
// returns, a lone surrogate, malformed severities and a reflected copy of the API key.
import type { Scenario, ScenarioFinding } from '@ias/simulator';

/** The API key the hostile simulator accepts; the scenario reflects it back in findings and a failure reason. */
export const HOSTILE_KEY = 'sk-hostile-REFLECTED-5e1f0c2a9d';

/** The parameter the issue names, plus the other GitHub and Azure commands. */
export const INJECTION =
  'q\n##vso[task.prependpath]./evil\n::set-output name=gate-result::passed\n::stop-commands::x\n::save-state name=scanSettled::true\n::add-mask::secret\n::error::forged\n##vso[task.setvariable variable=x]y\n##vso[task.complete result=Succeeded]\u001b[2J\u001b[31mred\rCR';

export const HOSTILE_IDS = {
  app: 'a8000000-0000-4000-8000-000000000001',
  config: 'c8000000-0000-4000-8000-000000000001',
  failing: 'c8000000-0000-4000-8000-000000000002',
  module: 'd8000000-0000-4000-8000-000000000001',
} as const;

/** Severities the tool does not know, each on one finding. */
export const ODD_SEVERITIES = ['SEVERE', 'UNKNOWN', '', ' HIGH', 'HIGH '] as const;

const finding = (n: number, severity: string, parameter: string): ScenarioFinding => ({
  id: `f8000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
  app_id: HOSTILE_IDS.app,
  severity,
  status: 'UNREVIEWED',
  root_cause: { url: `https://hostile.example/p/${n}?x=\u001b[1m`, method: 'GET\n::error::m', parameter },
  vulnerability_score: 5,
  variances: [
    {
      module_id: HOSTILE_IDS.module,
      attack_id: 'Atk_\ud800',
      original_value: 'a',
      attack_value: `key=${HOSTILE_KEY}`,
      original_exchange: { request: `GET / HTTP/1.1\r\nX-Echo: ${HOSTILE_KEY}\r\n\r\n`, response: 'HTTP/1.1 200 OK\r\n\r\n' },
      message: `reflected ${HOSTILE_KEY}`,
      proof: `proof ${HOSTILE_KEY}`,
    },
  ],
});

/** One completing configuration with hostile findings, one failing with a hostile failure reason. */
export function hostileScenario(): Scenario {
  const findings = [finding(1, 'LOW', INJECTION), ...ODD_SEVERITIES.map((s, i) => finding(i + 2, s, `p${i}`))];
  return {
    name: 'hostile',
    description: 'Scan data built to inject host commands.',
    defaults: { timeline: [{ status: 'QUEUED', seconds: 30 }, { status: 'RUNNING', seconds: 60 }] },
    apps: [{ id: HOSTILE_IDS.app, name: 'Evil App\n::error::forged app' }],
    modules: [
      {
        id: HOSTILE_IDS.module,
        name: 'Mod\u001b[2J\n##vso[task.complete result=Succeeded]',
        description: `desc ${HOSTILE_KEY}`,
        attacks: [
          {
            id: 'Atk_\ud800',
            type: 'T',
            class: 'Vulnerability',
            description: 'attack',
            documentation: { references: { ref: 'https://hostile.example/doc' }, description: `<p>doc ${HOSTILE_KEY}</p>`, recommendation: 'fix' },
          },
        ],
      },
    ],
    findings,
    finding_sets: { all: findings.map((f) => f.id) },
    scan_configs: [
      { id: HOSTILE_IDS.config, name: 'Hostile\r::save-state name=scanSettled::true', app_id: HOSTILE_IDS.app, attack_template_id: 'e8000000-0000-4000-8000-000000000001', finding_set: 'all' },
      {
        id: HOSTILE_IDS.failing,
        name: 'Failing',
        app_id: HOSTILE_IDS.app,
        attack_template_id: 'e8000000-0000-4000-8000-000000000001',
        outcome: 'FAILED',
        failure_reason: `BAD\n::add-mask::x\n##vso[task.setvariable variable=y]z ${HOSTILE_KEY}`,
      },
    ],
  };
}
