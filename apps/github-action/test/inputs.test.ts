import { describe, expect, it } from 'vitest';
import { CORE_INPUTS, readActionInputs } from '../src/inputs';
import { createRecordingToolkit } from './recording-toolkit';

const read = (inputs: Record<string, string>) => readActionInputs(createRecordingToolkit(inputs), '/ws');

describe('readActionInputs', () => {
  it.each(CORE_INPUTS.filter((i) => !i.boolean).map((i) => [i.id, i.key] as const))('passes %s to core as %s, named as the workflow spells it', (id, key) => {
    const { raw, names, problems } = read({ [id]: '  some value ' });
    expect(problems).toEqual([]);
    if (key !== 'outputDir') expect(raw[key]).toBe('some value');
    expect(names[key]).toBe(id);
  });

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('reads the YAML 1.2 boolean %s', (text, value) => {
    const { raw, summary, problems } = read({ 'cancel-on-interrupt': text, summary: text });
    expect(problems).toEqual([]);
    expect(raw.cancelOnInterrupt).toBe(value);
    expect(summary).toBe(value);
  });

  it.each(['yes', 'on', '1', 'tru'])('rejects %s as a boolean, naming the input', (text) => {
    const { problems } = read({ 'findings-report': text });
    expect(problems).toEqual(['findings-report must be true or false (YAML 1.2 booleans: true, True, TRUE, false, False, FALSE)']);
  });

  it('defaults summary and annotations to on, and the report folder to insightappsec-reports in the workspace', () => {
    expect(read({})).toMatchObject({ summary: true, annotations: true, outputDir: '/ws/insightappsec-reports', problems: [] });
    expect(read({ 'output-dir': 'out/ias' }).outputDir).toBe('/ws/out/ias');
    expect(read({ 'output-dir': '/abs/reports' }).raw.outputDir).toBe('/abs/reports');
  });

  describe("the official action's inputs", () => {
    it('map onto their modern counterparts and keep their names for messages', () => {
      const { raw, names, problems } = read({ 'scan-config-id': 'c0000000-0000-4000-8000-000000000001', 'vuln-query': "vulnerability.severity='HIGH'", 'wait-for-scan-complete': 'false', 'scan-timeout-mins': '45' });
      expect(problems).toEqual([]);
      expect(raw).toMatchObject({ scanConfig: 'c0000000-0000-4000-8000-000000000001', gateQuery: "vulnerability.severity='HIGH'", advanceOn: 'submitted', maxTotal: '45m' });
      expect(names).toMatchObject({ scanConfig: 'scan-config-id', gateQuery: 'vuln-query', advanceOn: 'wait-for-scan-complete', maxTotal: 'scan-timeout-mins' });
    });

    it('give scan-timeout-mins its official meaning: one budget from launch, no pending or execution budget', () => {
      const { raw } = read({ 'scan-config-id': 'c0000000-0000-4000-8000-000000000001', 'scan-timeout-mins': '10' });
      expect(raw.maxTotal).toBe('10m');
      expect(raw.maxPending).toBeUndefined();
      expect(raw.maxExecution).toBeUndefined();
    });

    it("poll every 5 minutes, the official action's interval, unless poll-interval is given", () => {
      expect(read({ 'scan-config-id': 'c0000000-0000-4000-8000-000000000001' }).raw.pollInterval).toBe('5m');
      expect(read({ 'scan-config': 'Full', app: 'Shop', 'vuln-query': 'x' }).raw.pollInterval).toBe('5m');
      expect(read({ 'scan-config-id': 'c0000000-0000-4000-8000-000000000001', 'poll-interval': '1m' }).raw.pollInterval).toBe('1m');
      expect(read({ 'scan-config': 'Full', app: 'Shop' }).raw.pollInterval).toBeUndefined();
    });

    it('wait-for-scan-complete true waits for completion', () => {
      expect(read({ 'wait-for-scan-complete': 'true' }).raw.advanceOn).toBe('completed');
    });

    it('yield to an explicit modern input that agrees, and refuse one that disagrees', () => {
      expect(read({ 'scan-config': 'Full', 'scan-config-id': 'Full' }).problems).toEqual([]);
      expect(read({ 'gate-query': 'a', 'vuln-query': 'b' }).problems).toEqual(["vuln-query and gate-query disagree ('b' and 'a'); give only one of them"]);
      expect(read({ 'advance-on': 'started', 'wait-for-scan-complete': 'true' }).problems).toHaveLength(1);
      expect(read({ 'max-execution': '2h', 'scan-timeout-mins': '30' }).raw).toMatchObject({ maxExecution: '2h', maxTotal: '30m' });
      expect(read({ 'max-total': '30m', 'scan-timeout-mins': '30' }).problems).toEqual([]);
      expect(read({ 'max-total': '2h', 'scan-timeout-mins': '30' }).problems).toEqual(["scan-timeout-mins and max-total disagree ('30m' and '2h'); give only one of them"]);
    });

    it.each(['abc', '1.5', '0', '-3'])('refuse scan-timeout-mins %s', (text) => {
      expect(read({ 'scan-timeout-mins': text }).problems).toEqual([`scan-timeout-mins '${text}' must be a whole number of minutes, such as 60`]);
    });
  });
});
