import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommand, removeAgentFolders, runOnAgent, type AgentRun } from './agent-emulator';

// The emulator itself, on a tiny task of its own whose handler prints what the test tells it to.
const taskDir = mkdtempSync(join(tmpdir(), 'ias-emulator-task-'));
mkdirSync(taskDir, { recursive: true });
writeFileSync(
  join(taskDir, 'task.json'),
  JSON.stringify({
    minimumAgentVersion: '3.230.2',
    inputs: [
      { name: 'conn', type: 'connectedService:x', aliases: ['legacyConn'] },
      { name: 'mode', type: 'string', defaultValue: ' fast ', aliases: ['oldMode'] },
      { name: 'file', type: 'filePath', defaultValue: '' },
      { name: 'script', type: 'string' },
    ],
    execution: { Node24: { target: 'main.js' }, Node20_1: { target: 'main.js' } },
  }),
);
// The handler runs the lines of INPUT_SCRIPT: `print TEXT`, `env NAME`, `ignore-sigint`, `wait`.
writeFileSync(
  join(taskDir, 'main.js'),
  `const lines = (process.env.INPUT_SCRIPT || '').split('|');
for (const line of lines) {
  const [cmd, ...rest] = line.split(' ');
  const arg = rest.join(' ');
  if (cmd === 'print') console.log(arg);
  else if (cmd === 'env') console.log(arg + '=' + (process.env[arg] ?? '<unset>'));
  else if (cmd === 'ignore-sigint') process.on('SIGINT', () => console.log('ignoring SIGINT'));
  else if (cmd === 'wait') { console.log('waiting'); setInterval(() => {}, 1000); }
}
`,
);
const runs: AgentRun[] = [];
afterAll(async () => {
  await removeAgentFolders(runs);
  rmSync(taskDir, { recursive: true, force: true });
});
async function run(script: string[], options: Partial<Parameters<typeof runOnAgent>[0]> = {}): Promise<AgentRun> {
  const result = await runOnAgent({ taskDir, connections: [{ name: 'C', id: '11111111-2222-4333-8444-555555555555', url: 'https://x.example', scheme: 'Token', parameters: { apitoken: 's3cr3t-token' }, data: { region: 'eu' } }], inputs: { conn: 'C', script: script.join('|') }, ...options });
  runs.push(result);
  return result;
}

describe('parseCommand (Command.cs TryParse)', () => {
  it('finds ##vso[ anywhere in the line and unescapes data and properties', () => {
    expect(parseCommand('text ##vso[task.logissue type=error;sourcepath=a%3Bb]line%0Anext %AZP25')).toEqual({ command: 'task.logissue', properties: { type: 'error', sourcepath: 'a;b' }, data: 'line\nnext %' });
    expect(parseCommand('##vso[nodot]x')).toBeUndefined();
    expect(parseCommand('no command')).toBeUndefined();
  });
});

describe('the agent emulator', () => {
  it('maps aliases, applies trimmed defaults, roots filePath inputs and sets endpoints and variables the agent way', async () => {
    const r = await runOnAgent({ taskDir, inputs: { legacyConn: 'C', oldMode: ' slow ', unknown: 'x', script: 'env INPUT_MODE|env INPUT_FILE|env ENDPOINT_DATA_11111111-2222-4333-8444-555555555555_REGION|env SECRET_MY_SECRET|env MY_PUBLIC' }, connections: [{ name: 'C', id: '11111111-2222-4333-8444-555555555555', url: 'https://x.example', scheme: 'Token', parameters: { apitoken: 'tok-9f8e7d' }, data: { region: 'eu' } }], variables: { 'my.public': 'p' }, secretVariables: { 'my.secret': 'hidden-value' } });
    runs.push(r);
    expect(r.agentWarnings).toEqual(["Input 'unknown' is not an input of the task and was ignored."]);
    expect(r.env.INPUT_CONN).toBe('11111111-2222-4333-8444-555555555555');
    expect(r.env['ENDPOINT_AUTH_11111111-2222-4333-8444-555555555555']).toBe('{"parameters":{"apitoken":"tok-9f8e7d"},"scheme":"Token"}');
    expect(r.log).toEqual(['INPUT_MODE=slow', `INPUT_FILE=${r.folders.sources}`, 'ENDPOINT_DATA_11111111-2222-4333-8444-555555555555_REGION=eu', 'SECRET_MY_SECRET=***', 'MY_PUBLIC=p']);
    expect(r.result).toBe('Succeeded');
  });

  it('roots an empty filePath input to the artifacts folder in releases and leaves it empty in builds without a checkout', async () => {
    expect((await run(['env INPUT_FILE'], { hostType: 'release' })).log).toEqual([`INPUT_FILE=${runs.at(-1)!.folders.artifacts}`]);
    expect((await run(['env INPUT_FILE'], { checkout: false })).log).toEqual(['INPUT_FILE=']);
  });

  it('masks setsecret values and keeps 10 errors and 10 warnings, counting all', async () => {
    const lines = ['print ##vso[task.setsecret]abc123', 'print the value is abc123'];
    for (let i = 0; i < 12; i += 1) lines.push(`print ##vso[task.logissue type=error]e${i}`, `print ##vso[task.issue type=warning]w${i}`);
    const r = await run(lines);
    expect(r.log[0]).toBe('the value is ***');
    expect(r.errorCount).toBe(12);
    expect(r.warningCount).toBe(12);
    expect(r.issues.filter((i) => i.type === 'error').map((i) => i.message)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
    expect(r.issues.filter((i) => i.type === 'warning')).toHaveLength(10);
  });

  it('accepts artifact uploads only in builds; elsewhere the command fails the step', async () => {
    const upload = ['print ##vso[artifact.upload containerfolder=r;artifactname=r]/tmp/x', 'print ##vso[task.complete result=Succeeded;]done'];
    expect((await run(upload)).artifacts).toEqual([{ name: 'r', containerFolder: 'r', path: '/tmp/x' }]);
    const release = await run(upload, { hostType: 'release' });
    expect(release.artifacts).toEqual([]);
    expect(release.result).toBe('Failed');
  });

  it('refuses an agent older than minimumAgentVersion and picks Node20_1 before 4.265.0', async () => {
    expect((await run(['print hi'], { agentVersion: '3.229.9' })).issues[0]?.message).toMatch(/requires agent 3\.230\.2/);
    expect((await run(['print hi'], { agentVersion: '4.264.0' })).handler).toBe('Node20_1');
    expect((await run(['print hi'], { agentVersion: '4.265.0' })).handler).toBe('Node24');
  });

  it('cancels with SIGINT, then SIGTERM 7.5 s later when the handler ignores it', async () => {
    const r = await run(['ignore-sigint', 'wait'], { onLine: (line, agent) => line === 'waiting' && agent.cancel() });
    expect(r.signals).toEqual(['SIGINT', 'SIGTERM']);
    expect(r.log).toContain('ignoring SIGINT');
    expect(r.result).toBe('Canceled');
  }, 20_000);
});
