// Gives every test file a fresh fragment directory, and after the run assembles tooling/faults/RESULTS.md from the
// fragments. RESULTS.md is written only by `pnpm test:faults` (IAS_WRITE_RESULTS=1) and only when every part of the suite
// ran (a filtered run, and `npm test`, leave the committed file alone).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { ResultsFragment } from './results';

declare module 'vitest' {
  export interface ProvidedContext {
    resultsDir: string;
  }
}

/** Fragments in the order their rows appear. */
const FRAGMENT_ORDER = ['fault-matrix.json', 'bad-inputs.json', 'adapters.json', 'azure-secret.json', 'query-fuzz.json'];

const RESULTS_FILE = resolve(fileURLToPath(new URL('../RESULTS.md', import.meta.url)));

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'ias-faults-results-'));
  project.provide('resultsDir', dir);
  return () => {
    try {
      const fragments = existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => f.endsWith('.json'))
            .sort((a, b) => FRAGMENT_ORDER.indexOf(a) - FRAGMENT_ORDER.indexOf(b))
            .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ResultsFragment)
        : [];
      const faults = fragments.flatMap((f) => f.faults ?? []);
      const complete = existsSync(dir) && FRAGMENT_ORDER.every((name) => existsSync(join(dir, name)));
      // Only `pnpm test:faults` sets IAS_WRITE_RESULTS: `npm test` never touches the committed file.
      if (complete && faults.length > 0 && process.env.IAS_WRITE_RESULTS === '1') {
        writeFileSync(
          RESULTS_FILE,
          renderResults({
            faults,
            badInputs: fragments.flatMap((f) => f.badInputs ?? []),
            secrets: fragments.flatMap((f) => f.secrets ?? []),
            fuzz: fragments.flatMap((f) => f.fuzz ?? []),
          }),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const cell = (text: string | number | null): string => String(text ?? '—').replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The RESULTS.md text: deterministic apart from the date line. */
export function renderResults(all: Required<ResultsFragment>): string {
  const { faults, badInputs, secrets, fuzz } = all;
  const lines: string[] = [];
  const passed = faults.filter((r) => r.pass).length;
  const duplicateScans = faults.filter((r) => r.scans > 1).length;
  const lost = faults.filter((r) => r.findingsReported !== null && r.findingsReported !== r.findingsInScenario).length;
  lines.push(
    '# Reliability and security proof: results',
    '',
    'Written by `pnpm test:faults` (tooling/faults). Every scenario spawns the built CLI (`node apps/cli/dist/ias.js scan …`)',
    'with a canary API key and `IAS_DEBUG=1` against the simulator on 127.0.0.1 with the faults armed. See README.md.',
    '',
    `Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    '## Fault matrix',
    '',
    `${passed} of ${faults.length} scenarios behave as expected; ${duplicateScans} with a duplicate scan; ${lost} with lost findings.`,
    '',
    '| scenario | faults | expected | observed | scans created | findings reported / in scenario | expected = observed |',
    '|---|---|---|---|---|---|---|',
  );
  for (const r of faults) {
    const findings = r.findingsReported === null ? `not collected / ${r.findingsInScenario}` : `${r.findingsReported} / ${r.findingsInScenario}`;
    lines.push(`| ${cell(r.scenario)} | ${cell(r.faults)} | ${cell(r.expected)} | ${cell(r.observed)} | ${r.scans} | ${findings} | ${r.pass ? 'yes' : '**NO**'} |`);
  }
  if (badInputs.length > 0) {
    const ok = badInputs.filter((r) => r.pass).length;
    lines.push(
      '',
      '## Bad inputs',
      '',
      `${ok} of ${badInputs.length} bad inputs end in the host's failure state (exit 2 for the CLI, Bamboo and the GitHub Action; \`task.complete result=Failed\` for Azure DevOps) with one sentence naming the input, and the simulator saw no \`POST /scans\`.`,
      '',
      '| host | input | value | failure state | input named | launches | as expected |',
      '|---|---|---|---|---|---|---|',
    );
    for (const r of badInputs) lines.push(`| ${cell(r.host)} | ${cell(r.input)} | ${cell(r.value === '' ? '(empty)' : r.value)} | ${cell(r.state)} | ${r.named ? 'yes' : 'no'} | ${r.launches} | ${r.pass ? 'yes' : '**NO**'} |`);
  }
  if (secrets.length > 0) {
    const hits = secrets.reduce((n, s) => n + s.hits, 0);
    lines.push(
      '',
      '## Secret hygiene',
      '',
      `The canary API key (and, for discovery, the canary Azure client secret) was searched for in every captured text (command lines, stdout, stderr and every written file, debug logging on): ${hits} hit${hits === 1 ? '' : 's'}.`,
      '',
      '| source | texts searched | hits |',
      '|---|---|---|',
    );
    for (const s of secrets) lines.push(`| ${cell(s.source)} | ${s.texts} | ${s.hits} |`);
  }
  if (fuzz.length > 0) {
    lines.push('', '## Query fuzzing (CI share)', '', '| property | runs | holds |', '|---|---|---|');
    for (const f of fuzz) lines.push(`| ${cell(f.property)} | ${f.runs} | ${f.pass ? 'yes' : '**NO**'} |`);
  }
  lines.push('');
  return lines.join('\n');
}
