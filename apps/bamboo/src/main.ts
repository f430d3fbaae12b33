import { redactSecrets, systemClock } from '@ias/core';
import { createInterruptSignal, createNodeFetch, exitWithVerdict, nodeRuntime } from '@ias/host-node';
import { run } from './run';
import { version } from '../package.json';

// The only file with side effects: wires the process into run() and exits with its status.
// Bamboo's "Stop build" signals the task; the first signal cancels the scan, a second one exits at once.
const interrupt = createInterruptSignal(process, {
  onFirst: (signal) => process.stdout.write(`Received ${signal} (build stopped): canceling the InsightAppSec scan…\n`),
  onRepeat: () => process.exit(130),
});

run({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  createFetch: (proxy) => createNodeFetch(process.env, { url: proxy, name: 'ias.proxy' }),
  clock: systemClock,
  signal: interrupt.signal,
  version,
  runtime: nodeRuntime(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
})
  .then((code) => {
    exitWithVerdict(code);
  })
  .catch((error: unknown) => {
    // Every value that could hold the key: the default variable, IAS_API_KEY and any *password* variable.
    const secrets = Object.entries(process.env)
      .filter(([name]) => /password/i.test(name) || name === 'IAS_API_KEY')
      .map(([, value]) => value);
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`ERROR: ias-bamboo internal error: ${redactSecrets(text, secrets)}\n`);
    process.stdout.write('InsightAppSec verdict: FAILED (internal error), 0 matching findings; exit 5\n');
    process.exitCode = 5;
  });
