// A scenario in which the API answers with values it never returned before: a scan status outside the known
// state machine, a new severity and new finding statuses. The simulator's assertScenario checks cross references
// only, so it accepts these values as they are.
import type { Scenario, ScenarioFinding } from '@ias/simulator';

export const NEW_IDS = {
  app: 'a7000000-0000-4000-8000-000000000001',
  config: 'c7000000-0000-4000-8000-000000000001',
  module: 'd7000000-0000-4000-8000-000000000001',
} as const;

/** Values the tool has never seen. */
export const NEW_VALUES = { scanStatus: 'WARMING_UP', severity: 'SEVERE', statuses: ['TRIAGED', 'AUTO_CLOSED'] } as const;

const finding = (n: number, severity: string, status: string): ScenarioFinding => ({
  id: `f7000000-0000-4000-8000-00000000000${n}`,
  app_id: NEW_IDS.app,
  severity,
  status,
  root_cause: { url: `https://new.example/page/${n}`, method: 'GET', parameter: 'q' },
  vulnerability_score: n,
  variances: [{ module_id: NEW_IDS.module, attack_id: 'NewAttack_1', original_value: 'a', attack_value: 'b', message: 'new', proof: 'proof' }],
});

/** Four findings (one SEVERE, three known severities; statuses old and new) behind a timeline with an unknown status. */
export function unknownEnumsScenario(): Scenario {
  const findings = [
    finding(1, NEW_VALUES.severity, NEW_VALUES.statuses[0]),
    finding(2, 'HIGH', NEW_VALUES.statuses[1]),
    finding(3, 'MEDIUM', 'UNREVIEWED'),
    finding(4, 'LOW', NEW_VALUES.statuses[0]),
  ];
  return {
    name: 'new-enum-values',
    description: 'Statuses and enum values the API never returned before.',
    apps: [{ id: NEW_IDS.app, name: 'New Values App' }],
    modules: [
      {
        id: NEW_IDS.module,
        name: 'Quantum Request Smuggling',
        description: 'A module added after the tool was written.',
        attacks: [{ id: 'NewAttack_1', type: 'Quantum', class: 'Vulnerability', description: 'new attack' }],
      },
    ],
    findings,
    finding_sets: { all: findings.map((f) => f.id) },
    scan_configs: [
      {
        id: NEW_IDS.config,
        name: 'New values scan',
        app_id: NEW_IDS.app,
        attack_template_id: 'e7000000-0000-4000-8000-000000000001',
        finding_set: 'all',
        timeline: [
          { status: 'QUEUED', seconds: 30 },
          { status: NEW_VALUES.scanStatus, seconds: 1500 },
          { status: 'RUNNING', seconds: 600 },
          { status: 'PROCESSED', seconds: 60 },
        ],
      },
    ],
  };
}
