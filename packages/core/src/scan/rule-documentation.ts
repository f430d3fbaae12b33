import type { ApiClient } from '../api/client';
import { getAttackDocumentation } from '../api/resources';
import type { AttackDocumentation } from '../api/schemas';
import type { Logger } from '../effects';

/**
 * Fetches the documentation of each distinct module/attack pair once, a few at a time. Reports are still written
 * without it: a failed lookup is logged and left out.
 */
export async function fetchRuleDocumentation(
  client: ApiClient,
  pairs: readonly { key: string; moduleId: string; attackId: string }[],
  logger: Logger,
  concurrency = 4,
): Promise<Map<string, AttackDocumentation>> {
  const docs = new Map<string, AttackDocumentation>();
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const pair = pairs[next];
      next += 1;
      if (pair === undefined) continue;
      try {
        docs.set(pair.key, await getAttackDocumentation(client, pair.moduleId, pair.attackId));
      } catch (error) {
        failures += 1;
        logger.debug(`No documentation for attack ${pair.attackId} of module ${pair.moduleId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pairs.length) }, () => worker()));
  if (failures > 0) logger.warn(`Attack documentation was unavailable for ${failures} of ${pairs.length} rules; the reports show them without it`);
  return docs;
}
