import { systemClock } from '@ias/core';
import { createNodeFetch, nodeRuntime, runAdapter } from '@ias/host-node';
import { watchBuildStop } from './build-stop';
import { run } from './run';
import { version } from '../package.json';

// The only file with side effects: wires the process into run() and exits with its status.
// Bamboo's "Stop build" signals the task's process, or kills the shell that started this one (no `exec`): either
// cancels the scan (see build-stop.ts); a second signal of the same kind exits at once.
const interrupt = watchBuildStop(process, {
  onStop: (why) => process.stdout.write(`Received ${why.startsWith('SIG') ? why : `notice that ${why}`} (build stopped): canceling the InsightAppSec scan…\n`),
  onRepeat: () => process.exit(130),
});
// Once the task's shell is gone, the agent may stop reading our output: a write error must not end the run before
// the scan is canceled.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

void runAdapter({
  main: () =>
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
    }),
  // Every value that could hold the key: IAS_API_KEY and any variable Bamboo treats as secret.
  secrets: () =>
    Object.entries(process.env)
      .filter(([name]) => /password|secret|passphrase/i.test(name) || name === 'IAS_API_KEY')
      .map(([, value]) => value),
  reportInternalError: ({ detail }) => {
    process.stderr.write(`ERROR: ias-bamboo internal error: ${detail}\n`);
    process.stdout.write('InsightAppSec verdict: FAILED (internal error), 0 matching findings; exit 5\n');
  },
  internalErrorCode: 5,
  interrupts: [interrupt],
});
