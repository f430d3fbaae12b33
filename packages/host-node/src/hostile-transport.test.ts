// Issue 17 (items 4 and 16): bad proxy values are bad input, a proxy that drops every tunnel cannot keep the process
// busy after the verdict, signals are always answered, and an output folder under /proc fails fast.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@ias/core';
import { exitWithVerdict } from './exit-process';
import { createFileReportSink } from './file-sink';
import { createInterruptSignal } from './interrupt';
import { closeNodeFetches, createNodeFetch } from './node-fetch';

const servers: Server[] = [];
afterEach(async () => {
  await closeNodeFetches();
  for (const s of servers.splice(0)) s.close();
});

describe('proxy values', () => {
  it.each([
    [{ HTTPS_PROXY: 'not a url' }, {}, 'HTTPS_PROXY is not a URL'],
    [{ HTTPS_PROXY: 'proxy.corp:8080' }, {}, "HTTPS_PROXY uses 'proxy.corp', not http or https"],
    [{ http_proxy: 'http://[bad' }, {}, 'http_proxy is not a URL'],
    [{}, { url: 'socks5://u:s3cret@proxy:1080', name: 'ias.proxy' }, "ias.proxy uses 'socks5', not http or https"],
    [{}, { url: '::::', name: 'ias.proxy' }, 'ias.proxy is not a URL'],
  ])('refuses %j %j as bad input, one sentence naming the setting, never its value', async (env, proxy, message) => {
    const fetch = createNodeFetch(env, proxy);
    const error = (await fetch('https://ias.example.test/ias/v1/apps').catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.message.split('. ')).toHaveLength(1);
    expect(error.message).not.toContain('s3cret');
  });
});

describe('a proxy that accepts CONNECT and drops every tunnel', () => {
  it.each([['an explicit proxy', {}, true], ['HTTPS_PROXY', { HTTPS_PROXY: 'PROXY' }, false], ['an explicit proxy with NO_PROXY', { NO_PROXY: 'other.test' }, true]] as const)('fails the request at once through %s, without retrying the tunnel in a loop, and nothing reconnects after closeNodeFetches', async (_label, env, explicit) => {
    let connects = 0;
    const proxy = createServer();
    proxy.on('connect', (_req, socket: Socket) => {
      connects += 1;
      socket.destroy();
    });
    servers.push(proxy);
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const fetch = createNodeFetch(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === 'PROXY' ? url : v])), explicit ? { url } : {});
    const started = Date.now();
    const error = await fetch('https://ias.example.test/ias/v1/apps', { signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(((error as Error).cause as { code?: string } | undefined)?.code).toBe('EPROXYTUNNEL');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(connects).toBeGreaterThanOrEqual(1);
    expect(connects).toBeLessThan(5);
    await closeNodeFetches();
    const after = connects;
    await new Promise((r) => setTimeout(r, 300));
    expect(connects).toBe(after);
  });
});

describe('exitWithVerdict', () => {
  it('sets the exit code and ends the process after the grace period should anything linger', async () => {
    const calls: number[] = [];
    const target = { exitCode: undefined as number | undefined, exit: (code?: number) => void calls.push(code ?? -1) };
    exitWithVerdict(4, target, 20);
    expect(target.exitCode).toBe(4);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toEqual([4]);
  });
});

describe('createInterruptSignal', () => {
  it('forces the exit when the run has not ended within the grace period after the first signal', async () => {
    const listeners: ((signal: NodeJS.Signals) => void)[] = [];
    const source = { on: (_s: string, l: (signal: NodeJS.Signals) => void) => listeners.push(l), off: () => undefined };
    let forced = 0;
    const interrupt = createInterruptSignal(source, { onRepeat: () => (forced += 1), graceMs: 20 });
    listeners[0]?.('SIGTERM');
    expect(interrupt.signal.aborted).toBe(true);
    expect(forced).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(forced).toBe(1);
  });
});

describe.runIf(process.platform === 'linux')('an output folder under /proc', () => {
  it('is refused at once instead of hanging', async () => {
    const started = Date.now();
    const error = await createFileReportSink('/proc/ias-reports/deeper').prepare?.().catch((e: unknown) => e);
    expect((error as { code?: string }).code).toMatch(/^(ENOENT|EACCES|EPERM|EROFS)$/);
    await expect(createFileReportSink('/proc/self').prepare?.()).rejects.toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
