import { createMemoryReportSink } from '@ias/core';
import { describe, expect, it } from 'vitest';
import { createBambooLogger, formatVerdictLine, writeVariablesFile, type RunSummary } from '../src/outputs';

const SCAN = '5ca00000-0000-4000-8000-000000000001';

const summary = (over: Partial<RunSummary>): RunSummary => ({
  exitCode: 0,
  result: 'passed',
  message: 'ok.',
  scanId: SCAN,
  status: 'COMPLETE',
  advancedOn: 'completed',
  collected: true,
  total: 40,
  gate: null,
  reports: [],
  ...over,
});

describe('formatVerdictLine', () => {
  it.each<[string, Partial<RunSummary>, string]>([
    ['gate failed', { exitCode: 1, result: 'gate-failed', gate: { passed: false, matched: 7, condition: "vulnerability.severity = 'HIGH'" } }, `InsightAppSec verdict: FAILED (vulnerability query matched), 7 matching findings for vulnerability.severity = 'HIGH', of 40 findings in scan ${SCAN}; exit 1`],
    ['gate passed', { gate: { passed: true, matched: 0, condition: 'q' } }, `InsightAppSec verdict: PASSED, 0 matching findings for q, of 40 findings in scan ${SCAN}; exit 0`],
    ['no gate', {}, `InsightAppSec verdict: PASSED, 0 matching findings (no vulnerability query enforced; 40 findings in scan ${SCAN}); exit 0`],
    ['advanced early', { collected: false, advancedOn: 'submitted', total: 0 }, `InsightAppSec verdict: PASSED, 0 matching findings (scan ${SCAN} advanced once SUBMITTED; findings not collected); exit 0`],
    ['scan failed', { exitCode: 3, result: 'scan-failed', collected: false, message: 'Scan x failed with reason BAD_AUTH.' }, 'InsightAppSec verdict: FAILED (scan failed), 0 matching findings (findings not evaluated: Scan x failed with reason BAD_AUTH); exit 3'],
  ])('%s', (_, over, line) => {
    expect(formatVerdictLine(summary(over))).toBe(line);
  });
});

describe('writeVariablesFile', () => {
  it('writes key=value lines for "Inject Bamboo variables"', async () => {
    const sink = createMemoryReportSink();
    await writeVariablesFile(sink, summary({ exitCode: 1, result: 'gate-failed', gate: { passed: false, matched: 3, condition: 'q' } }));
    expect(sink.files.get('insightappsec-scan-variables.properties')).toBe(`scanId=${SCAN}\nscanStatus=COMPLETE\nresult=gate-failed\nexitCode=1\nfindings=40\nmatchingFindings=3\n`);
  });
});

describe('createBambooLogger', () => {
  it('redacts the key at every level, debug included, and sends errors to stderr', () => {
    const out: string[] = [];
    const err: string[] = [];
    const logger = createBambooLogger({ out: (t) => out.push(t), err: (t) => err.push(t) }, { secrets: ['s3cr3t-key'], debug: true });
    logger.debug('header x-api-key: s3cr3t-key');
    logger.info('info s3cr3t-key');
    logger.warn('warn s3cr3t-key');
    logger.error('error s3cr3t-key\nsecond line');
    expect([...out, ...err].join('')).not.toContain('s3cr3t-key');
    expect(out).toEqual(['DEBUG: header x-api-key: ***\n', 'info ***\n', 'WARNING: warn ***\n']);
    expect(err).toEqual(['ERROR: error ***\nERROR: second line\n']);
  });

  it('drops debug lines unless debug logging is on', () => {
    const out: string[] = [];
    createBambooLogger({ out: (t) => out.push(t), err: () => {} }, { secrets: [], debug: false }).debug('x');
    expect(out).toEqual([]);
  });
});
