import { readFile } from 'node:fs/promises';
import { systemClock } from '@ias/core';
import { run } from './run';
import { version } from '../package.json';

// The only file with side effects: wires the process into run() and exits with its status.
const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  process.stderr.write(`\nReceived ${signal}: stopping the run and canceling the scan…\n`);
  controller.abort(new Error(`received ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

run({
  argv: process.argv.slice(2),
  env: process.env,
  fetch: globalThis.fetch,
  clock: systemClock,
  signal: controller.signal,
  version,
  runtime: `node/${process.versions.node}; ${process.platform}`,
  isTTY: process.stdout.isTTY === true,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readText: (path) => readFile(path, 'utf8'),
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    const key = process.env.IAS_API_KEY;
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`ias: internal error: ${key && key.length >= 4 ? text.split(key).join('***') : text}\n`);
    process.exitCode = 5;
  });
