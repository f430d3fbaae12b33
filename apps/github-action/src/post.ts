import { createApiClient, escapeLogText, formatUserAgent, getScan, isTerminal, parseConfig, redactSecrets, submitScanAction } from '@ias/core';
import { readActionInputs } from './inputs';
import { createActionLogger } from './outputs';
import type { ActionHost } from './action-host';
import { registerSecret } from './run-main';
import { STATE } from './toolkit';

/**
 * The `post:` step: a second chance to cancel a scan the main step left unfinished (the job was canceled and the
 * main step was killed before it could cancel, or it crashed). It never fails the job: it warns instead.
 */
export async function runPost(host: ActionHost): Promise<number> {
  const { toolkit } = host;
  const apiKey = toolkit.getInput('api-key');
  registerSecret(toolkit, apiKey);
  const scanId = toolkit.getState(STATE.scanId);
  if (scanId === '' || toolkit.getState(STATE.settled) === 'true') {
    toolkit.debug('No unfinished scan to clean up.');
    return 0;
  }
  const logger = createActionLogger(toolkit, [apiKey]);
  const inputs = readActionInputs(toolkit, host.workspace);
  // Only the connection settings matter here; the target is already known.
  const parsed = parseConfig({ ...inputs.raw, app: inputs.raw.app ?? 'post', scanConfig: inputs.raw.scanConfig ?? 'post' }, { names: inputs.names });
  if (!parsed.ok) {
    toolkit.warning(`Scan ${scanId} may still be running, and the inputs do not allow canceling it (${parsed.errors[0]?.message ?? 'invalid inputs'}); cancel it in InsightAppSec.`);
    return 0;
  }
  const job = parsed.job;
  if (!job.cancelOnInterrupt) {
    toolkit.info(`Scan ${scanId} may still be running; it is left running as cancel-on-interrupt is false.`);
    return 0;
  }
  const client = createApiClient({
    baseUrl: job.baseUrl,
    apiKey: job.apiKey,
    fetch: host.fetch,
    userAgent: formatUserAgent('github-action', host.version, host.runtime),
    clock: host.clock,
    logger,
    timeoutMs: 10_000,
    retries: 2,
    retryBaseMs: 500,
    ...(host.signal === undefined ? {} : { signal: host.signal }),
  });
  try {
    const scan = await getScan(client, scanId);
    if (isTerminal(scan.status) || scan.status === 'CANCELING') {
      // The status comes from the server: escaped, so it can start no workflow command line.
      toolkit.info(`Scan ${escapeLogText(scanId)} has already ended (${escapeLogText(scan.status)}).`);
      return 0;
    }
    await submitScanAction(client, scanId, 'CANCEL');
    toolkit.warning(`The main step left scan ${escapeLogText(scanId)} unfinished (${escapeLogText(scan.status)}); it was canceled.`);
  } catch (error) {
    const reason = redactSecrets(error instanceof Error ? error.message : String(error), [apiKey]);
    toolkit.warning(`Could not cancel scan ${scanId}, which the main step left unfinished (${reason}); cancel it in InsightAppSec.`);
  }
  return 0;
}
