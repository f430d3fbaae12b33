import { outcomeBeforeStart } from '@ias/core';
import { describe, expect, it } from 'vitest';
import { annotateMatches, createActionLogger, gateResult, MAX_ANNOTATIONS, officialScanFindings, setOutputs, type ActionOutcome } from '../src/outputs';
import { createRecordingToolkit } from './recording-toolkit';

const SCAN = 'b0000000-0000-4000-8000-000000000009';

function outcome(overrides: Partial<ActionOutcome> = {}): ActionOutcome {
  return {
    ...outcomeBeforeStart(0, '', null, 0),
    scanId: SCAN,
    status: 'COMPLETE',
    failureReason: null,
    exitCode: 0,
    result: 'passed',
    message: `Scan ${SCAN} is COMPLETE with 6 findings; no gate is configured.`,
    app: { id: 'app-1', name: 'Shop' },
    scanConfig: { id: 'cfg-1', name: 'Full' },
    advancedOn: 'completed',
    gate: null,
    counts: { total: 6, bySeverity: { LOW: 3, CRITICAL: 1, HIGH: 2 }, byModule: { XSS: 6 } },
    collected: true,
    reports: [{ format: 'sarif', path: '/ws/r/insightappsec-scan.sarif' }],
    scanUrl: `https://eu.insight.rapid7.com/insightappsec/#/apps/app-1/configuration/cfg-1/scan/${SCAN}`,
    ...overrides,
  };
}

type Gate = NonNullable<ActionOutcome['gate']>;

/** A failed gate; only the fields the action reads, so the fixture survives new fields in core's outcome. */
function failedGate(matches: number): Gate {
  const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  const gate: Partial<Gate> = {
    passed: false,
    matched: matches,
    condition: "vulnerability.severity='HIGH'",
    query: null,
    localMatched: matches,
    serverMatched: null,
    disagreements: [],
    bySeverity: {},
    matches: Array.from({ length: matches }, (_, i) => ({ id: `v${i}`, severity: severities[i % 4]!, module: 'SQL Injection', method: 'GET', url: `https://shop/p${i}`, parameter: i % 2 ? 'q' : undefined })),
  };
  for (const m of gate.matches ?? []) gate.bySeverity![m.severity] = (gate.bySeverity![m.severity] ?? 0) + 1;
  return gate as Gate;
}

describe('officialScanFindings', () => {
  it('counts every finding by severity, most severe first, with the scan link', () => {
    const text = officialScanFindings(outcome());
    expect(text).toBe(
      JSON.stringify({ vulnerabilities: { CRITICAL: 1, HIGH: 2, LOW: 3 }, scanLink: `https://eu.insight.rapid7.com/insightappsec/#/apps/app-1/configuration/cfg-1/scan/${SCAN}` }, null, 2),
    );
  });

  it('counts only the findings that match the gate, like the official vuln-query', () => {
    const parsed = JSON.parse(officialScanFindings(outcome({ gate: failedGate(5) }))!) as unknown;
    expect(parsed).toEqual({ vulnerabilities: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 2 }, scanLink: outcome().scanUrl });
  });

  it('leaves scanLink out when nothing is counted', () => {
    expect(officialScanFindings(outcome({ counts: { total: 0, bySeverity: {}, byModule: {} } }))).toBe('{\n  "vulnerabilities": {}\n}');
  });

  it('is "Scan ID: <id>" when the step did not wait, and absent when no findings were collected', () => {
    expect(officialScanFindings(outcome({ advancedOn: 'submitted', collected: false }))).toBe(`Scan ID: ${SCAN}`);
    expect(officialScanFindings(outcome({ status: 'FAILED', collected: false, advancedOn: null }))).toBeUndefined();
    expect(officialScanFindings(outcome({ scanId: null, collected: false }))).toBeUndefined();
  });
});

describe('outputs and annotations', () => {
  it('sets every output', () => {
    const toolkit = createRecordingToolkit();
    setOutputs(toolkit, outcome({ gate: failedGate(2), exitCode: 1, result: 'gate-failed' }), { outputDir: '/ws/r' });
    expect(toolkit.outputs()).toEqual({
      'scan-id': SCAN,
      status: 'COMPLETE',
      result: 'gate-failed',
      'gate-result': 'failed',
      'findings-count': '6',
      counts: JSON.stringify({ total: 6, bySeverity: { LOW: 3, CRITICAL: 1, HIGH: 2 }, byModule: { XSS: 6 } }),
      'report-dir': '/ws/r',
      'sarif-file': '/ws/r/insightappsec-scan.sarif',
      'scan-findings': expect.stringContaining('"vulnerabilities"'),
    });
  });

  it('names the gate result', () => {
    expect(gateResult(outcome())).toBe('none');
    expect(gateResult(outcome({ gate: { ...failedGate(0), passed: true } }))).toBe('passed');
    expect(gateResult(outcome({ gate: failedGate(1) }))).toBe('failed');
  });

  it(`shows at most ${MAX_ANNOTATIONS} matches as errors, the most severe first, and one notice for the rest`, () => {
    const toolkit = createRecordingToolkit();
    annotateMatches(toolkit, outcome({ gate: failedGate(25) }), '/ws/r');
    const errors = toolkit.of('error');
    // One error slot of the runner's 10 stays free for the failure reason.
    expect(MAX_ANNOTATIONS).toBe(9);
    expect(errors).toHaveLength(9);
    expect(errors.slice(0, 6).map((e) => e.properties?.title)).toEqual(Array(6).fill('InsightAppSec CRITICAL: SQL Injection'));
    expect(errors[0]!.text).toBe('SQL Injection at GET https://shop/p3 (parameter q); vulnerability v3');
    const notices = toolkit.of('notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toMatch(/^16 more findings match the gate; see the job summary and the reports in \/ws\/r\./);
  });

  it('adds no notice when every match fits, and nothing when the gate passed', () => {
    const few = createRecordingToolkit();
    annotateMatches(few, outcome({ gate: failedGate(3) }), '/ws/r');
    expect(few.of('error')).toHaveLength(3);
    expect(few.of('notice')).toHaveLength(0);
    const none = createRecordingToolkit();
    annotateMatches(none, outcome(), '/ws/r');
    expect(none.calls).toEqual([]);
  });
});

describe('createActionLogger', () => {
  it('redacts the key from every line, and keeps errors out of the annotations', () => {
    const toolkit = createRecordingToolkit();
    const logger = createActionLogger(toolkit, ['key-123456']);
    logger.debug('sent key-123456');
    logger.info('key-123456');
    logger.warn('x key-123456');
    logger.error('boom key-123456');
    expect(JSON.stringify(toolkit.calls)).not.toContain('key-123456');
    expect(toolkit.of('error')).toEqual([]);
    expect(toolkit.of('warning')).toHaveLength(1);
  });
});
