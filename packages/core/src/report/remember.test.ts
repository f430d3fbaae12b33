import { describe, expect, it } from 'vitest';
import { rememberByText } from './remember';

describe('rememberByText', () => {
  it('computes each text once, remembers undefined answers too, and starts over past its limit', () => {
    const asked: string[] = [];
    const lookup = rememberByText((text) => {
      asked.push(text);
      return text === 'none' ? undefined : text.length;
    }, 2);
    expect([lookup('ab'), lookup('ab'), lookup('none'), lookup('none')]).toEqual([2, 2, undefined, undefined]);
    expect(asked).toEqual(['ab', 'none']);
    expect(lookup('xyz')).toBe(3);
    expect(lookup('ab')).toBe(2);
    expect(asked).toEqual(['ab', 'none', 'xyz', 'ab']);
  });
});
