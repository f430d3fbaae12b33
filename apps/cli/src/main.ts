import { readFile } from 'node:fs/promises';
import { systemClock } from '@ias/core';
import { createDocumentationCache, createInterruptSignal, createNodeFetch, nodeRuntime, runAdapter, userCacheFolder } from '@ias/host-node';
import { interruptNotice } from './discover-command';
import { run } from './run';
import { version } from '../package.json';

// The only file with side effects: wires the process into run() and exits with its status.

const interrupt = createInterruptSignal(process, {
  onFirst: (signal) => process.stderr.write(interruptNotice(process.argv.slice(2), signal)),
  onRepeat: () => process.exit(130),
});

const cacheFolder = userCacheFolder(process.env);

void runAdapter({
  main: () =>
    run({
      argv: process.argv.slice(2),
      env: process.env,
      fetch: createNodeFetch(process.env),
      clock: systemClock,
      signal: interrupt.signal,
      version,
      runtime: nodeRuntime(),
      isTTY: process.stdout.isTTY === true,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      readText: (path) => readFile(path, 'utf8'),
      ...(cacheFolder === undefined ? {} : { documentationCache: createDocumentationCache(cacheFolder) }),
    }),
  secrets: () => [process.env.IAS_API_KEY],
  reportInternalError: ({ detail }) => process.stderr.write(`ias: internal error: ${detail}\n`),
  internalErrorCode: 5,
  interrupts: [interrupt],
});
