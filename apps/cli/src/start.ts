import { readFile } from 'node:fs/promises';
import { systemClock } from '@ias/core';
import { createInterruptSignal, nodeRuntime, runAdapter, userCacheFolder } from '@ias/host-node';
import { deferredDocumentationCache, deferredFetch } from './deferred';
import { interruptNotice } from './discover-command';
import { run } from './run';
import { version } from '../package.json';

// What every command line but a lone version flag runs (main.ts loads it): wires the process into run() and exits
// with its status. The interrupt handlers are installed at once; the fetch and the documentation cache are made by
// the first request or cache read, so a run that needs neither (`--help`, a bad flag) loads none of their code.

const interrupt = createInterruptSignal(process, {
  onFirst: (signal) => process.stderr.write(interruptNotice(process.argv.slice(2), signal)),
  onRepeat: () => process.exit(130),
});

const cacheFolder = userCacheFolder(process.env);
const effects = () => import('./process-effects');

void runAdapter({
  main: () =>
    run({
      argv: process.argv.slice(2),
      env: process.env,
      fetch: deferredFetch(async () => (await effects()).createNodeFetch(process.env)),
      clock: systemClock,
      signal: interrupt.signal,
      version,
      runtime: nodeRuntime(),
      isTTY: process.stdout.isTTY === true,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      readText: (path) => readFile(path, 'utf8'),
      ...(cacheFolder === undefined ? {} : { documentationCache: deferredDocumentationCache(async () => (await effects()).createDocumentationCache(cacheFolder)) }),
    }),
  secrets: () => [process.env.IAS_API_KEY],
  reportInternalError: ({ detail }) => process.stderr.write(`ias: internal error: ${detail}\n`),
  internalErrorCode: 5,
  interrupts: [interrupt],
});
