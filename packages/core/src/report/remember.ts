/**
 * `compute` remembered per text, for up to `limit` distinct texts (then the memory starts over): reports ask the same
 * few values (URLs, times, module names) of thousands of findings. `compute` must be pure; `undefined` is remembered
 * too.
 */
export function rememberByText<T>(compute: (text: string) => T, limit = 1000): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    if (known.has(text)) return known.get(text) as T;
    const value = compute(text);
    if (known.size >= limit) known.clear();
    known.set(text, value);
    return value;
  };
}
