import { readFileSync } from 'node:fs';
import { CONFIG_KEYS } from '@ias/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTION_INPUTS, COMPAT_INPUTS, CORE_INPUTS } from '../src/inputs';
import { OUTPUT_NAMES } from '../src/outputs';

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: unknown }>;
  outputs: Record<string, { description: string }>;
  runs: Record<string, string>;
}

const metadata = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as ActionMetadata;

describe('action.yml', () => {
  it('declares exactly the inputs the action reads', () => {
    expect(Object.keys(metadata.inputs).sort()).toEqual([...CORE_INPUTS.map((i) => i.id), ...ACTION_INPUTS, ...COMPAT_INPUTS].sort());
  });

  it('has an input for every core configuration key', () => {
    const mapped = new Set(CORE_INPUTS.map((i) => i.key));
    expect(CONFIG_KEYS.filter((key) => !mapped.has(key))).toEqual([]);
  });

  it("keeps every input of the official action (rapid7/insightappsec-scan-github-actions), so only `uses:` changes", () => {
    for (const name of ['region', 'api-key', 'scan-config-id', 'vuln-query', 'wait-for-scan-complete', 'scan-timeout-mins']) expect(metadata.inputs).toHaveProperty([name]);
    expect(metadata.outputs).toHaveProperty(['scan-findings']);
  });

  it('leaves defaults to the action, so a compatibility input is only set when the workflow sets it', () => {
    expect(Object.entries(metadata.inputs).filter(([, input]) => input.default !== undefined)).toEqual([]);
  });

  it('declares exactly the outputs the action sets', () => {
    expect(Object.keys(metadata.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  });

  it('runs the committed bundle on node24 as the main and the post step, the post step even after a cancel', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js', 'post-if': 'always()' });
  });
});
