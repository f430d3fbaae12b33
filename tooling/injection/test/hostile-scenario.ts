// The hostile data every host is run against: what a scanned application (or a hostile server) can put in the
// API's answers. Each vector carries the same payload: every GitHub workflow command and Azure Pipelines logging
// command the adversarial pass used (issue 17), an ANSI screen clear and colour, and a carriage return.
import type { Scenario, ScenarioFinding, TimelineStep } from '@ias/simulator';

/** The API key the simulator accepts; the scenario reflects it back in findings, a failure reason and module texts. */
export const HOSTILE_KEY = 'sk-hostile-REFLECTED-5e1f0c2a9d71';

/**
 * The injected commands, each with the distinctive text that tells the payload's copy from a command the adapter
 * emits itself, and whether the host reads it only at the start of a line (GitHub `::`) or anywhere (Azure `##vso[`).
 */
export const COMMANDS = [
  { name: '::set-output', text: '::set-output name=gate-result::passed', anywhere: false },
  { name: '::stop-commands', text: '::stop-commands::x', anywhere: false },
  { name: '::save-state', text: '::save-state name=scanSettled::true', anywhere: false },
  { name: '::add-mask', text: '::add-mask::secret', anywhere: false },
  { name: 'forged ::error', text: '::error::forged', anywhere: false },
  { name: '##vso[task.prependpath]', text: '##vso[task.prependpath]./evil', anywhere: true },
  { name: '##vso[task.setvariable]', text: '##vso[task.setvariable variable=x]y', anywhere: true },
  { name: '##vso[task.complete result=Succeeded]', text: '##vso[task.complete result=Succeeded]', anywhere: true },
] as const;

/** Terminal spoofing: an ANSI clear-screen (a colour too) and a carriage return that rewrites the line. */
export const ANSI = '\u001b[2J';
export const CR_TEXT = '\rCR-overwrite';

/** The parameter the issue names, then the other commands, each on its own line, then ANSI and CR. */
export const PAYLOAD = `q\n${COMMANDS.map((c) => c.text).join('\n')}\n${ANSI}\u001b[31mred${CR_TEXT}`;

export const IDS = {
  app: 'a8100000-0000-4000-8000-000000000001',
  complete: 'c8100000-0000-4000-8000-000000000001',
  failing: 'c8100000-0000-4000-8000-000000000002',
  status: 'c8100000-0000-4000-8000-000000000003',
  module: 'd8100000-0000-4000-8000-000000000001',
} as const;

/** The vectors: which scan configuration carries the payload where. */
export const VECTORS = [
  { name: 'finding fields, names, lone surrogate', config: IDS.complete, expect: 'gate-failed' },
  { name: 'failure reason and scan events', config: IDS.failing, expect: 'scan-failed' },
  { name: 'scan status', config: IDS.status, expect: 'gate-failed' },
] as const;

const finding = (n: number, parameter: string): ScenarioFinding => ({
  id: `f8100000-0000-4000-8000-00000000000${n}`,
  app_id: IDS.app,
  severity: 'HIGH',
  status: 'UNREVIEWED',
  root_cause: { url: `https://hostile.example/p/${n}?q=${encodeURIComponent(PAYLOAD)}`, method: `GET\n${PAYLOAD}`, parameter },
  vulnerability_score: 7,
  variances: [
    {
      module_id: IDS.module,
      // A lone surrogate: no URL encoder or UTF-8 writer accepts it as it is.
      attack_id: 'Atk_\ud800',
      original_value: 'a',
      attack_value: `key=${HOSTILE_KEY}`,
      original_exchange: { request: `GET / HTTP/1.1\r\nX-Echo: ${HOSTILE_KEY}\r\n\r\n`, response: 'HTTP/1.1 200 OK\r\n\r\n' },
      message: `reflected ${HOSTILE_KEY}`,
      proof: `proof ${HOSTILE_KEY}\n${PAYLOAD}`,
    },
  ],
});

const quick: TimelineStep[] = [
  { status: 'QUEUED', seconds: 30 },
  { status: 'RUNNING', seconds: 60 },
];

/** The scenario: hostile names and findings, a failure reason and a scan status carrying the payload. */
export function hostileScenario(): Scenario {
  const findings = [finding(1, PAYLOAD), finding(2, `p\r${COMMANDS[0].text}`)];
  return {
    name: 'injection',
    description: 'Scan data built to inject host logging commands (issue 17).',
    defaults: { timeline: quick },
    apps: [{ id: IDS.app, name: `Evil App\n${PAYLOAD}` }],
    modules: [
      {
        id: IDS.module,
        name: `Module\n${PAYLOAD}`,
        description: `description ${HOSTILE_KEY}`,
        attacks: [
          {
            id: 'Atk_\ud800',
            type: 'T',
            class: 'Vulnerability',
            description: 'attack',
            documentation: { references: { ref: 'https://hostile.example/doc' }, description: `<p>doc ${HOSTILE_KEY}</p>`, recommendation: PAYLOAD },
          },
        ],
      },
    ],
    findings,
    finding_sets: { all: findings.map((f) => f.id) },
    scan_configs: [
      { id: IDS.complete, name: `Complete\n${PAYLOAD}`, app_id: IDS.app, attack_template_id: 'e8100000-0000-4000-8000-000000000001', finding_set: 'all' },
      {
        id: IDS.failing,
        name: 'Failing',
        app_id: IDS.app,
        attack_template_id: 'e8100000-0000-4000-8000-000000000001',
        outcome: 'FAILED',
        failure_reason: `BAD\n${PAYLOAD} ${HOSTILE_KEY}`,
      },
      {
        id: IDS.status,
        name: 'Status',
        app_id: IDS.app,
        attack_template_id: 'e8100000-0000-4000-8000-000000000001',
        finding_set: 'all',
        // Long enough (scenario time) that a poll sees the hostile status.
        timeline: [{ status: 'QUEUED', seconds: 30 }, { status: `RUNNING\n${PAYLOAD}`, seconds: 1500 }],
      },
    ],
  };
}
