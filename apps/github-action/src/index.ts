import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { systemClock } from '@ias/core';
import { createInterruptSignal, createNodeFetch, nodeRuntime, runAdapter } from '@ias/host-node';
import { version } from '../package.json';
import { runPost } from './post';
import type { ActionHost } from './action-host';
import { runMain } from './run-main';
import { STATE, type ActionToolkit } from './toolkit';

/** The toolkit on `@actions/core`: the runner's contract (INPUT_* and STATE_* variables, workflow commands, GITHUB_* files). */
function createToolkit(): ActionToolkit {
  return {
    getInput: (name) => core.getInput(name),
    getBooleanInput: (name) => core.getBooleanInput(name),
    setSecret: (secret) => core.setSecret(secret),
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    debug: (message) => core.debug(message),
    info: (message) => core.info(message),
    warning: (message, properties) => core.warning(message, properties ?? {}),
    error: (message, properties) => core.error(message, properties ?? {}),
    notice: (message, properties) => core.notice(message, properties ?? {}),
    startGroup: (name) => core.startGroup(name),
    endGroup: () => core.endGroup(),
    setFailed: (message) => core.setFailed(message),
    appendSummary: async (markdown) => {
      if ((process.env.GITHUB_STEP_SUMMARY ?? '') === '') return;
      await core.summary.addRaw(markdown, true).write();
    },
  };
}

/** What a caller may replace; `main.ts` replaces nothing, tests give the simulator's fetch and a manual clock. */
export type RunOverrides = Partial<Pick<ActionHost, 'fetch' | 'clock' | 'createSink'>>;

/**
 * Runs the action once, as the main step or (when the main step saved `isPost` in the state) as the `post:` step,
 * and sets `process.exitCode`; with `ownsProcess` (the runner's entry, `main.ts`) it ends the process like every
 * adapter entry (host-node's runAdapter: V8 tuned for a short run, exit after the verdict). Importing this module
 * does nothing: `@github/local-action` imports it and calls `run()` for the main and again for the post step.
 * @returns the exit status (see the README)
 */
export async function run(overrides: RunOverrides = {}, options: { ownsProcess?: boolean } = {}): Promise<number> {
  const isPost = core.getState(STATE.isPost) === 'true';
  // The runner sends SIGINT on cancel, SIGTERM 7.5 s later, then kills: the first signal cancels the scan, a second
  // one ends the process at once.
  const interrupt = createInterruptSignal(process, {
    onFirst: (signal) => core.info(`Received ${signal}: the workflow was canceled; canceling the scan…`),
    onRepeat: () => process.exit(130),
  });
  return runAdapter({
    main: () => {
      // Inside main: a bad proxy variable, say, ends the step with a one-line failure, not a stack trace.
      const host: ActionHost = {
        toolkit: createToolkit(),
        fetch: overrides.fetch ?? createNodeFetch(process.env),
        clock: overrides.clock ?? systemClock,
        signal: interrupt.signal,
        version,
        runtime: nodeRuntime(),
        workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
        readText: (path) => readFile(path, 'utf8'),
        toolCache: process.env.RUNNER_TOOL_CACHE,
        env: process.env,
        ...(overrides.createSink === undefined ? {} : { createSink: overrides.createSink }),
      };
      return isPost ? runPost(host) : runMain(host);
    },
    secrets: () => [core.getInput('api-key')],
    reportInternalError: ({ detail }) => {
      core.setFailed(`Internal error of the InsightAppSec action: ${detail.split('\n')[0] ?? ''}`);
      core.debug(detail);
    },
    // The post step never fails the job.
    internalErrorCode: isPost ? 0 : 5,
    interrupts: [interrupt],
    ...(options.ownsProcess === true ? {} : { exit: setExitCode }),
  });
}

function setExitCode(code: number): void {
  process.exitCode = code;
}
