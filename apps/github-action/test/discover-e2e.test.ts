import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AZURE_FAKE_IDS, createAzureFake, createSimulator, DEMO_IDS, type AzureFake } from '@ias/simulator';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCOVER_INPUTS, DISCOVER_OUTPUTS } from '../src/discover-main';
import { inputVariable, parseFileCommands, workflowCommands } from './harness';

// End to end: the discovery bundle (discover/action.yml runs ../dist/discover.js), started the way the runner starts
// a node action (inputs as INPUT_*, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files: actions/runner
// src/Runner.Worker/Handlers/NodeScriptActionHandler.cs and the file commands of actions/toolkit packages/core),
// against the Azure fakes and the IAS simulator on 127.0.0.1.

const BUNDLE = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/discover.js');
const API_KEY = 'sim-key-discover-SECRET-42';

let azure: AzureFake;
let azureUrl: string;
let iasUrl: string;
let closers: (() => Promise<void>)[] = [];
const dirs: string[] = [];
const sim = createSimulator({ scenario: 'demo', apiKey: API_KEY });

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing; run \`pnpm --filter @ias/github-action build\` first`);
  azure = createAzureFake();
  const a = await azure.listen({ host: '127.0.0.1', port: 0 });
  const i = await sim.listen({ host: '127.0.0.1', port: 0 });
  azureUrl = a.baseUrl;
  iasUrl = i.baseUrl;
  closers = [a.close, i.close];
});

afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function step(inputs: Record<string, string>, workspace?: string): Promise<{ code: number | null; stdout: string; stderr: string; outputs: Record<string, string>; summary: string; workspace: string }> {
  const dir = workspace ?? (await mkdtemp(join(tmpdir(), 'ias-gha-discover-')));
  if (workspace === undefined) dirs.push(dir);
  const files = { GITHUB_OUTPUT: join(dir, '.runner-output'), GITHUB_STEP_SUMMARY: join(dir, '.runner-summary'), GITHUB_STATE: join(dir, '.runner-state') };
  for (const path of Object.values(files)) await writeFile(path, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', GITHUB_WORKSPACE: dir, GITHUB_ACTIONS: 'true', ...files };
  const all = { 'tenant-id': AZURE_FAKE_IDS.tenantId, 'client-id': AZURE_FAKE_IDS.clientId, 'client-secret': AZURE_FAKE_IDS.clientSecret, 'arm-endpoint': azureUrl, 'authority-host': azureUrl, ...inputs };
  for (const [name, value] of Object.entries(all)) env[inputVariable(name)] = value;
  const child = spawn(process.execPath, [BUNDLE], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  return { code, stdout, stderr, outputs: parseFileCommands(await readFile(files.GITHUB_OUTPUT, 'utf8')), summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'), workspace: dir };
}

describe('discover/action.yml', () => {
  const metadata = parse(readFileSync(new URL('../discover/action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: Record<string, string> };
  it('declares exactly the inputs and outputs the step reads and sets, and runs the discovery bundle', () => {
    expect(Object.keys(metadata.inputs).sort()).toEqual([...DISCOVER_INPUTS].sort());
    expect(Object.keys(metadata.outputs).sort()).toEqual([...DISCOVER_OUTPUTS].sort());
    expect(metadata.runs).toEqual({ using: 'node20', main: '../dist/discover.js' });
  });
});

describe('the discovery action end to end', () => {
  it('syncs every subscription with only tenant, client id and secret, writes the job summary and the outputs, and masks the secret', async () => {
    const run = await step({});
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'changed', 'exit-code': '0', changed: 'true' });
    expect(JSON.parse(run.outputs.summary ?? 'null')).toMatchObject({ new: 4, skipped: 2 });
    expect(run.outputs['report-html']).toBe(join(run.workspace, '.ias/apim/inventory-report.html'));
    expect(run.summary).toContain('## API inventory (Azure API Management)');
    expect(run.summary).toContain('contoso/echo-api');
    expect(workflowCommands(run.stdout, 'warning').map((w) => w.message)).toContain('API new: contoso/echo-api');
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'))).toEqual([`::add-mask::${AZURE_FAKE_IDS.clientSecret}`]);
    const rest = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    expect(`${rest}${run.stderr}${run.summary}${JSON.stringify(run.outputs)}`).not.toContain(AZURE_FAKE_IDS.clientSecret);
  });

  it('fails the step on changes with on-change fail, and again on a rerun (the inventory waits for review)', async () => {
    const first = await step({});
    azure.setSpec('contoso', 'petstore', {});
    const gated = await step({ 'on-change': 'fail' }, first.workspace);
    expect(gated.code).toBe(1);
    expect(gated.outputs).toMatchObject({ result: 'changes-found', 'exit-code': '1' });
    expect(workflowCommands(gated.stdout, 'error').some((e) => /--fail-on-change is set/.test(e.message))).toBe(true);
    expect((await step({ 'on-change': 'fail' }, first.workspace)).code).toBe(1);
    expect((await step({ 'on-change': 'ignore' }, first.workspace)).code).toBe(0);
    azure.setSpec('contoso', 'petstore', { swagger2: { swagger: '2.0', info: { title: 'p', version: '1' }, basePath: '/petstore', paths: { '/pets': { get: { responses: { '200': { description: 'OK' } } } } } } });
  });

  it('pushes linked definitions to a scan configuration with the api-key input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ias-gha-discover-'));
    dirs.push(dir);
    const target = `${iasUrl}/scan-configs/${DEMO_IDS.full}/options`;
    const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
    const options = (await (await fetch(target, { headers })).json()) as { crawl_config: Record<string, unknown> };
    options.crawl_config.scope_constraint_list = [{ url: 'https://*.azure-api.net/*', exclusion: 'INCLUDE', method: 'ALL' }];
    await fetch(target, { method: 'PUT', headers, body: JSON.stringify(options) });
    await writeFile(join(dir, 'links.yaml'), `links:\n  contoso/echo-api: ${DEMO_IDS.full}\n  fabrikam/inventory-api: ${DEMO_IDS.full}\n`);
    const run = await step({ 'links-file': 'links.yaml', push: 'true', 'api-key': API_KEY, 'base-url': iasUrl, 'on-change': 'ignore' }, dir);
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/### Last push/);
    const after = (await (await fetch(target, { headers })).json()) as { web_service_config: { swagger_file_list: { value: string }[] } };
    expect(after.web_service_config.swagger_file_list.map((e) => (JSON.parse(e.value) as { 'x-ias-discovery': { key: string } })['x-ias-discovery'].key)).toEqual(['contoso/echo-api', 'fabrikam/inventory-api']);
    const shown = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    expect(`${shown}${run.stderr}${run.summary}`).not.toContain(API_KEY);
  });

  it('refuses a bad on-change before reading anything', async () => {
    const before = azure.requests().length;
    const run = await step({ 'on-change': 'explode' });
    expect(run.code).toBe(2);
    expect(workflowCommands(run.stdout, 'error')[0]?.message).toMatch(/on-change must be warn, fail or ignore/);
    expect(azure.requests().length).toBe(before);
  });
});
