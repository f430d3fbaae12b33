import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/ias-sim.js', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts the built bin and resolves with the two lines it prints once listening. */
function start(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; baseUrl: string; apiKey: string }> {
  const child = spawn(process.execPath, [BIN, ...args]);
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const baseUrl = /^IAS_BASE_URL=(\S+)$/m.exec(out)?.[1];
      const apiKey = /^IAS_API_KEY=(\S+)$/m.exec(out)?.[1];
      if (baseUrl !== undefined && apiKey !== undefined) resolve({ child, baseUrl, apiKey });
    });
    child.on('exit', (code) => reject(new Error(`ias-sim exited with ${code}: ${out}`)));
  });
}

describe('ias-sim (built bin)', () => {
  it('prints its base URL on 127.0.0.1 and its API key, serves the demo scenario, and stops on SIGTERM', async () => {
    const { child, baseUrl, apiKey } = await start(['--scenario', 'demo', '--port', '0', '--api-key', 'rehearsal-key']);
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ias\/v1$/);
    expect(apiKey).toBe('rehearsal-key');
    const response = await fetch(`${baseUrl}/search`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'APP', query: "app.name='Demo Shop'" }) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { name: string }[] }).data.map((a) => a.name)).toEqual(['Demo Shop']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('serves a generated scenario of the size asked for', async () => {
    const { baseUrl, apiKey } = await start(['--findings', '1200', '--modules', '7', '--port', '0']);
    const response = await fetch(`${baseUrl}/modules`, { headers: { 'x-api-key': apiKey } });
    expect(((await response.json()) as unknown[]).length).toBe(7);
  });

  it('explains a bad option and exits non-zero', async () => {
    const child = spawn(process.execPath, [BIN, '--colour', 'blue']);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(err).toMatch(/colour/);
  });
});
