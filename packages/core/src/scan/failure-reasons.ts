/**
 * What to do about each failure reason (ias-api.md §3.3). The list is open: an unknown reason gets the generic
 * advice to read the scan's event logs.
 */
const ADVICE: Record<string, string> = {
  CANCELED: 'it was canceled in InsightAppSec or by another run; launch it again if that was not intended',
  NETWORK_UNAVAILABLE: 'the scan engine could not reach the application; check the seed URLs, DNS and firewall rules for the engine',
  SYSTEM_ERROR: 'InsightAppSec had an internal error; run the scan again, and contact Rapid7 support with the scan id if it repeats',
  CONFIGURATION_INVALID: 'the scan configuration is invalid; fix it in InsightAppSec (seed URLs, scope, attack template)',
  BAD_AUTH: "the scan could not log in to the application; check the scan configuration's authentication settings and credentials",
  LICENSE_INVALID: 'the InsightAppSec license does not allow this scan; check the license with your Rapid7 administrator',
  ENGINE_UNAVAILABLE: 'no scan engine was available; check the engine group of the scan configuration (on-premise engines must be running)',
  INITIALIZATION_FAILURE: 'the scan engine failed to start the scan; run it again, and check the engine if it repeats',
  SWAGGER_PARSING_ERROR: 'the API definition (Swagger/OpenAPI) attached to the scan configuration could not be parsed; fix or replace it',
  DATABASE_TOO_LARGE: "the scan's database grew too large; narrow the scan scope or split the application into several scan configurations",
  INSUFFICIENT_DISK_SPACE: 'the scan engine ran out of disk space; free space on the engine or use another engine group',
  INSUFFICIENT_MEMORY: 'the scan engine ran out of memory; lower the scan threads or use an engine with more memory',
  TOO_MANY_THREADS: "the scan used too many threads; lower the thread count in the scan configuration's performance settings",
  RASP_FAILURE: 'the runtime agent (RASP) integration failed; check the agent on the application',
  REPORT_GENERATION_FAILURE: 'the scan ran but its reports could not be generated; run it again, and contact Rapid7 support if it repeats',
};

/** The advice for a failure reason: what to do, as the end of a sentence. */
export function failureAdvice(reason: string): string {
  return ADVICE[reason] ?? "see the scan's event logs in InsightAppSec";
}

/** Every failure reason with specific advice. */
export const KNOWN_FAILURE_REASONS: readonly string[] = Object.keys(ADVICE);
