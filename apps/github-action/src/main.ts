import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { redactSecrets, systemClock } from '@ias/core';
import { createInterruptSignal, createNodeFetch, nodeRuntime } from '@ias/host-node';
import { version } from '../package.json';
import { runPost } from './post';
import { run, type ActionHost } from './run';
import { STATE, type ActionToolkit } from './toolkit';

// The only file with side effects. The same bundle is the main step and the `post:` step: the main step saves
// `isPost` first thing, and the runner hands saved state only to the post step.
const toolkit: ActionToolkit = {
  getInput: (name) => core.getInput(name),
  getBooleanInput: (name) => core.getBooleanInput(name),
  setSecret: core.setSecret,
  setOutput: core.setOutput,
  saveState: core.saveState,
  getState: core.getState,
  debug: core.debug,
  info: core.info,
  warning: (message, properties) => core.warning(message, properties ?? {}),
  error: (message, properties) => core.error(message, properties ?? {}),
  notice: (message, properties) => core.notice(message, properties ?? {}),
  startGroup: core.startGroup,
  endGroup: core.endGroup,
  setFailed: core.setFailed,
  appendSummary: async (markdown) => {
    if ((process.env.GITHUB_STEP_SUMMARY ?? '') === '') return;
    await core.summary.addRaw(markdown, true).write();
  },
};

const isPost = core.getState(STATE.isPost) === 'true';
// The runner sends SIGINT on cancel, SIGTERM 7.5 s later, then kills: the first signal cancels the scan, a second
// one ends the process at once.
const interrupt = createInterruptSignal(process, {
  onFirst: (signal) => core.info(`Received ${signal}: the workflow was canceled; canceling the scan…`),
  onRepeat: () => process.exit(130),
});

const host: ActionHost = {
  toolkit,
  fetch: createNodeFetch(process.env),
  clock: systemClock,
  signal: interrupt.signal,
  version,
  runtime: nodeRuntime(),
  workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
  readText: (path) => readFile(path, 'utf8'),
  toolCache: process.env.RUNNER_TOOL_CACHE,
};

(isPost ? runPost(host) : run(host))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    core.setFailed(`Internal error of the InsightAppSec action: ${redactSecrets(text, [core.getInput('api-key')]).split('\n')[0] ?? ''}`);
    core.debug(redactSecrets(text, [core.getInput('api-key')]));
    process.exitCode = isPost ? 0 : 5;
  })
  .finally(() => interrupt.dispose());
