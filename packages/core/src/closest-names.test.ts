import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from './closest-names';

describe('closestNames', () => {
  it('computes edit distances case-insensitively', () => {
    expect(editDistance('Demo Shop', 'demo shpo')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it.each([
    ['Demo Shpo', ['Demo Shop', 'Payments API', 'Demo Shop Staging'], ['Demo Shop']],
    ['Demo', ['Demo Shop', 'Payments API', 'Demo Shop Staging'], ['Demo Shop', 'Demo Shop Staging']],
    ['payments', ['Demo Shop', 'Payments API'], ['Payments API']],
    ['Zebra', ['Demo Shop', 'Payments API'], []],
  ])('%s → %j', (wanted, names, expected) => {
    expect(closestNames(wanted, names)).toEqual(expected);
  });
});
