// The one string-to-value coercion of raw option values: every adapter and the config schema use these.

const TRUE_WORDS = ['true', 'yes', 'y', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'n', 'off', '0'];

/**
 * The one yes/no parser: `true`/`yes`/`y`/`on`/`1` and `false`/`no`/`n`/`off`/`0`, any case, trimmed.
 * `undefined` for a blank value, `'invalid'` for anything else.
 */
export function parseYesNo(value: string | boolean | null | undefined): boolean | undefined | 'invalid' {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return 'invalid';
}

/** The one list parser: items separated by commas (and, with `spaces`, by white space), trimmed, blanks dropped. */
export function parseList(value: string, options: { spaces?: boolean } = {}): string[] {
  return value
    .split(options.spaces === true ? /[\s,]+/ : /,/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
