/** A malformed search query; the message names the problem and its 1-based position. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  /** 1-based character position of the problem in the query. */
  readonly position: number;

  constructor(message: string, offset: number) {
    super(`${message} at position ${offset + 1}`);
    this.position = offset + 1;
  }
}
