/**
 * A page envelope split without parsing its items: `{"data":[…],"metadata":{…},"links":[…]}` becomes the envelope
 * with `data: []` plus the JSON text of each element of `data`. Items are parsed one at a time later, so a page of a
 * thousand findings is never held as a thousand object graphs at once (nor a prefetched page as a second set).
 *
 * Every character is either structural punctuation checked here or part of a slice that `JSON.parse` reads (the
 * envelope's other values now, each item later), so nothing invalid passes. Anything this scanner does not expect
 * (not an object, `data` not an array, a `__proto__` key, a syntax error) returns `undefined`: the caller then parses
 * the whole text as before, with the same errors as before.
 */
export interface SplitPage {
  /** The envelope's members, `data` replaced by an empty array. */
  envelope: Record<string, unknown>;
  /** The JSON text of each element of `data`, in order. */
  items: string[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i += 1;
  return i;
}

/** The index after the string literal starting at `at` (a quote), or -1 when it does not end. */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes += 1;
    if (slashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** The index after the JSON value starting at `at`, by bracket depth (its contents are checked when parsed), or -1. */
function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at);
  if (first !== 0x7b && first !== 0x5b) {
    let i = at;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === COMMA || code === 0x7d || code === 0x5d || isSpace(code)) break;
      i += 1;
    }
    return i > at ? i : -1;
  }
  let depth = 0;
  for (let i = at; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (code === 0x7b || code === 0x5b) {
      depth += 1;
    } else if (code === 0x7d || code === 0x5d) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The element texts of the array starting at `at`, and the index after it; `undefined` when malformed. */
function arrayItems(text: string, at: number): { items: string[]; end: number } | undefined {
  const items: string[] = [];
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === 0x5d) return { items, end: i + 1 };
  for (;;) {
    const end = valueEnd(text, i);
    if (end < 0) return undefined;
    items.push(text.slice(i, end));
    i = skipSpace(text, end);
    const code = text.charCodeAt(i);
    if (code === 0x5d) return { items, end: i + 1 };
    if (code !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
}

/** Splits a page envelope; `undefined` when the text is anything but a well-formed object with a `data` array. */
export function splitPage(text: string): SplitPage | undefined {
  const envelope: Record<string, unknown> = {};
  let items: string[] | undefined;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return undefined;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) !== 0x7d) {
    try {
      for (;;) {
        if (text.charCodeAt(i) !== QUOTE) return undefined;
        const keyEnd = stringEnd(text, i);
        if (keyEnd < 0) return undefined;
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        if (key === '__proto__') return undefined;
        i = skipSpace(text, keyEnd);
        if (text.charCodeAt(i) !== COLON) return undefined;
        i = skipSpace(text, i + 1);
        if (key === 'data' && text.charCodeAt(i) === 0x5b) {
          const array = arrayItems(text, i);
          if (array === undefined) return undefined;
          items = array.items;
          envelope.data = [];
          i = array.end;
        } else {
          const end = valueEnd(text, i);
          if (end < 0) return undefined;
          envelope[key] = JSON.parse(text.slice(i, end));
          if (key === 'data') items = undefined;
          i = end;
        }
        i = skipSpace(text, i);
        const code = text.charCodeAt(i);
        if (code === 0x7d) break;
        if (code !== COMMA) return undefined;
        i = skipSpace(text, i + 1);
      }
    } catch {
      return undefined;
    }
  }
  if (skipSpace(text, i + 1) !== text.length || items === undefined) return undefined;
  return { envelope, items };
}
