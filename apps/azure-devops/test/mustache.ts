/**
 * The Mustache subset that Azure DevOps evaluates in data sources: `{{x}}`, `{{{x}}}`, dotted paths, sections
 * (`{{#x}}…{{/x}}` over arrays, objects and truthy values), inverted sections, the service's block helpers
 * `equals` / `notEquals` with `'literal'` or path arguments, and the helpers of Microsoft's documented paging
 * examples: `{{add skip 50}}` (a number plus another) and `{{isTokenPresent response.x}}` (`true` when the value
 * is there and not empty, else `false`). Enough to run our templates page by page in tests.
 */
type Context = unknown[];

function lookup(stack: Context, path: string): unknown {
  if (path === '.') return stack[stack.length - 1];
  const parts = path.split('.');
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    const frame = stack[i];
    if (frame !== null && typeof frame === 'object' && parts[0]! in (frame as object)) {
      let value: unknown = frame;
      for (const part of parts) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
      return value;
    }
  }
  return undefined;
}

function argument(stack: Context, token: string): string {
  if (/^'.*'$/.test(token)) return token.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(token)) return token;
  const value = lookup(stack, token);
  return value === undefined || value === null ? '' : String(value);
}

function findClose(template: string, name: string, from: number): { start: number; end: number } {
  const open = new RegExp(`\\{\\{[#^]${name.replace(/[.]/g, '\\.')}(\\s[^}]*)?\\}\\}`, 'g');
  const close = `{{/${name}}}`;
  let depth = 1;
  let at = from;
  for (;;) {
    const next = template.indexOf(close, at);
    if (next < 0) throw new Error(`unclosed section ${name}`);
    open.lastIndex = at;
    let m;
    while ((m = open.exec(template)) !== null && m.index < next) {
      depth += 1;
    }
    depth -= 1;
    if (depth === 0) return { start: next, end: next + close.length };
    at = next + close.length;
  }
}

export function render(template: string, stack: Context): string {
  let out = '';
  let at = 0;
  const tag = /\{\{(\{?)([#^/]?)\s*([^}]*?)\s*\}?\}\}/g;
  while (at < template.length) {
    tag.lastIndex = at;
    const m = tag.exec(template);
    if (m === null) {
      out += template.slice(at);
      break;
    }
    out += template.slice(at, m.index);
    const [whole, , kind, body] = m as unknown as [string, string, string, string];
    const after = m.index + whole.length;
    if (kind === '#' || kind === '^') {
      const [name, ...args] = body.split(/\s+/);
      const { start, end } = findClose(template, name!, after);
      const inner = template.slice(after, start);
      if (kind === '#' && (name === 'equals' || name === 'notEquals')) {
        const same = argument(stack, args[0] ?? '') === argument(stack, args[1] ?? '');
        if (same === (name === 'equals')) out += render(inner, stack);
      } else {
        const value = lookup(stack, name!);
        const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
        if (kind === '^') {
          if (!truthy) out += render(inner, stack);
        } else if (Array.isArray(value)) {
          for (const item of value) out += render(inner, [...stack, item]);
        } else if (truthy) {
          out += render(inner, typeof value === 'object' ? [...stack, value] : stack);
        }
      }
      at = end;
    } else {
      const [name, ...args] = body.split(/\s+/);
      if (name === 'add' && args.length === 2) {
        const sum = Number(argument(stack, args[0]!)) + Number(argument(stack, args[1]!));
        if (!Number.isFinite(sum)) throw new Error(`add of non-numbers in {{${body}}}`);
        out += String(sum);
      } else if (name === 'isTokenPresent' && args.length === 1) {
        out += argument(stack, args[0]!) === '' ? 'false' : 'true';
      } else {
        const value = lookup(stack, body);
        out += value === undefined || value === null ? '' : String(value);
      }
      at = after;
    }
  }
  return out;
}
