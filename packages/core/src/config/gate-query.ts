import { parseQuery } from '../query/parse-query';

/** A gate query's problem, for a config issue: the sentence and the caret diagnostic. */
export interface GateQueryProblem {
  message: string;
  diagnostic: string;
}

/**
 * Validates a gate query with the same parser the gate evaluates it with, before anything is launched.
 * @returns the problem, or `undefined` when the query is valid.
 */
export function checkGateQuery(query: string): GateQueryProblem | undefined {
  const result = parseQuery(query);
  if (result.ok) return undefined;
  return { message: result.error.message.replace(/\.$/, ''), diagnostic: result.error.diagnostic };
}
