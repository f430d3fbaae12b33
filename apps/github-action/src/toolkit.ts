import type { InputReader } from './inputs';

/** Annotation placement, as `@actions/core` takes it (DAST findings have no file, so only the title is used). */
export interface AnnotationProperties {
  title?: string;
}

/**
 * The part of `@actions/core` the action uses. `main.ts` passes the real module; tests pass a recording fake or run
 * the bundle, which talks to the runner through `INPUT_*` variables, workflow commands and the `GITHUB_*` files.
 */
export interface ActionToolkit extends InputReader {
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  notice(message: string, properties?: AnnotationProperties): void;
  startGroup(name: string): void;
  endGroup(): void;
  /** Sets a failing result with a one-line reason (an error annotation). */
  setFailed(message: string): void;
  /** Appends markdown to the job summary; a no-op outside a runner (no `GITHUB_STEP_SUMMARY`). */
  appendSummary(markdown: string): Promise<void>;
}

/** Names of the values kept in `GITHUB_STATE` between the main step and the `post:` step. */
export const STATE = {
  /** Set first thing by the main step; the same bundle then knows it runs as the post step. */
  isPost: 'isPost',
  /** The scan the main step launched or attached to. */
  scanId: 'scanId',
  /** `true` once the main step has finished with the scan (ended, canceled, or left running on purpose). */
  settled: 'scanSettled',
} as const;
