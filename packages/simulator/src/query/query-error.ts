/** A malformed search query; the message names the problem and its 1-based position. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  /** 1-based character position of the problem in the query. */
  readonly position: number;

  /** `offset` null: a problem of the whole query (an ambiguous name), reported without a position. */
  constructor(message: string, offset: number | null) {
    super(offset === null ? message : `${message} at position ${offset + 1}`);
    this.position = (offset ?? 0) + 1;
  }
}
