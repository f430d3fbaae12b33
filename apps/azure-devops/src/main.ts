import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { systemClock } from '@ias/core';
import { createFileReportSink, createInterruptSignal, createNodeFetch, nodeRuntime, runAdapter, zipFiles } from '@ias/host-node';
import { runTask } from './run';
import type { TaskHost } from './task-host';
import { createTaskLibHost } from './task-lib-host';
import { version } from '../package.json';

// The only file with side effects: wires the agent's process into runTask().
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
// Every value the task registers as a secret (the API token) is kept, to redact an internal error's message too.
const secrets: string[] = [];
const taskLibHost = createTaskLibHost(out);
const host: TaskHost = {
  ...taskLibHost,
  setSecret: (value: string): void => {
    secrets.push(value);
    taskLibHost.setSecret(value);
  },
};
const interrupt = createInterruptSignal(process, {
  onFirst: (signal) => out(`Received ${signal}: the pipeline was canceled; canceling the scan…`),
  onRepeat: () => process.exit(130),
});

void runAdapter({
  main: async () => {
    await runTask(host, {
      createFetch: (route, tls) => {
        const options = { tls: { ca: tls.ca, rejectUnauthorized: tls.rejectUnauthorized } };
        return route.mode === 'proxy' ? createNodeFetch(process.env, { url: route.url, name: 'The agent proxy (Agent.ProxyUrl)', ...options }) : createNodeFetch(route.mode === 'direct' ? {} : process.env, options);
      },
      readCaFile: (path) => readFile(path, 'utf8'),
      writeText: (path, text) => writeFile(path, text, 'utf8'),
      env: process.env,
      clock: systemClock,
      createSink: createFileReportSink,
      signal: interrupt.signal,
      version,
      runtime: nodeRuntime(),
      platform: process.platform,
      zip: zipFiles,
      exists: existsSync,
    });
    return Number(process.exitCode ?? 0);
  },
  secrets: () => secrets,
  reportInternalError: ({ message }) => {
    const reason = `Internal error in the InsightAppSec task: ${message.split(/\r?\n/)[0] ?? ''}`;
    host.logIssue('error', reason);
    host.complete('Failed', reason);
  },
  internalErrorCode: 1,
  interrupts: [interrupt],
});
