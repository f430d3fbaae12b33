import type { ExecutionDetails } from '../api/schemas';

/** Progress of a run, for adapters to render (a live line on a TTY, plain lines in CI logs). */
export type RunEvent =
  | { type: 'resolved'; app: { id: string; name: string }; scanConfig: { id: string; name: string } }
  | { type: 'launched'; scanId: string; attached: boolean }
  | { type: 'status'; scanId: string; status: string; previous: string | undefined; elapsedMs: number }
  | { type: 'progress'; scanId: string; status: string; elapsedMs: number; details?: ExecutionDetails }
  | { type: 'findings'; fetched: number; total: number | undefined }
  | { type: 'report'; format: string; path: string }
  | { type: 'gate'; passed: boolean; matched: number }
  | { type: 'budget'; budget: 'pending' | 'execution' | 'total'; action: 'cancel' | 'stop' | 'fail' };

/** A receiver of {@link RunEvent}s. */
export type RunEventListener = (event: RunEvent) => void;
