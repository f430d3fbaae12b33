import { buildFinding } from './build-finding.js';
import { catalogModuleId, MODULE_CATALOG, type CatalogModule } from './module-catalog.js';
import { DEFAULT_TIMELINE, type Scenario, type ScenarioApp, type ScenarioFinding, type ScenarioScanConfig } from './scenario.js';
import { createSeededRandom } from './seeded-random.js';

/** Options of {@link generateScenario}. */
export interface GenerateScenarioOptions {
  /** Number of findings of the "Generated Scan" config. */
  findings: number;
  /** Number of modules the findings are spread over (the first 14 have realistic names). */
  modules: number;
  /** PRNG seed: the same seed gives the same scenario. @default 1 */
  seed?: number;
  /** Number of apps; the first is "Generated App" and owns the findings. @default 1 */
  apps?: number;
}

/** The ids generateScenario uses for its app, config and attack template. */
export const GENERATED_IDS = {
  app: 'a9000000-0000-4000-8000-000000000001',
  scanConfig: 'c9000000-0000-4000-8000-000000000001',
  attackTemplate: 'e0000000-0000-4000-8000-000000000001',
} as const;

function moduleAt(n: number): CatalogModule {
  const known = MODULE_CATALOG[n];
  if (known) return known;
  const id = catalogModuleId(n + 1);
  return {
    module: {
      id,
      name: `Generated Module ${n + 1}`,
      description: `A generated check number ${n + 1}.`,
      attacks: [{ id: `GEN_${n + 1}_01`, type: 'GeneratedCheck', class: 'Best Practice', description: `Generated attack of module ${n + 1}` }],
    },
    severities: ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'],
    parameterised: true,
    parameters: ['id', 'q'],
    attackValue: "'",
    message: 'Generated check failed',
    proof: 'generated proof',
  };
}

/**
 * Builds a scenario with one app "Generated App" and one scan config "Generated Scan" whose finding
 * set holds `findings` findings over `modules` modules. Deterministic for a seed and fast for
 * 100,000 findings (generated findings carry short exchanges only on the first thousand).
 * @throws RangeError for a negative finding count or fewer than one module.
 */
export function generateScenario(options: GenerateScenarioOptions): Scenario {
  const { findings: count, modules: moduleCount } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`findings must be a whole number of at least 0, got ${count}`);
  if (!Number.isInteger(moduleCount) || moduleCount < 1) throw new RangeError(`modules must be a whole number of at least 1, got ${moduleCount}`);
  const random = createSeededRandom(options.seed ?? 1);
  const catalog = Array.from({ length: moduleCount }, (_, n) => moduleAt(n));
  const apps: ScenarioApp[] = [{ id: GENERATED_IDS.app, name: 'Generated App', description: `${count} generated findings over ${moduleCount} modules` }];
  for (let i = 1; i < (options.apps ?? 1); i += 1) {
    apps.push({ id: `a9000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`, name: `Generated App ${i + 1}`, description: 'A generated app without findings' });
  }
  const findings: ScenarioFinding[] = new Array<ScenarioFinding>(count);
  const ids: string[] = new Array<string>(count);
  for (let i = 0; i < count; i += 1) {
    const m = catalog[i % moduleCount] ?? moduleAt(0);
    const id = random.uuid();
    ids[i] = id;
    findings[i] = buildFinding({ id, appId: GENERATED_IDS.app, host: 'generated.example', module: m, random, exchanges: i < 1000 });
  }
  const configs: ScenarioScanConfig[] = [
    { id: GENERATED_IDS.scanConfig, name: 'Generated Scan', app_id: GENERATED_IDS.app, attack_template_id: GENERATED_IDS.attackTemplate, finding_set: 'generated', timeline: [...DEFAULT_TIMELINE] },
  ];
  for (let i = 1; i < apps.length; i += 1) {
    const app = apps[i];
    if (app) configs.push({ id: `c9000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`, name: `Generated Scan ${i + 1}`, app_id: app.id, attack_template_id: GENERATED_IDS.attackTemplate });
  }
  return {
    name: `generated-${count}x${moduleCount}`,
    description: 'Built by generateScenario',
    apps,
    modules: catalog.map((c) => c.module),
    findings,
    finding_sets: { generated: ids },
    scan_configs: configs,
  };
}
