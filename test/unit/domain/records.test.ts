import { describe, expect, it } from 'vitest';
import { sameValue, withoutUndefined } from '../../../domain/records';

describe('sameValue', () => {
  it('ignores key order and absent-versus-undefined properties', () => {
    expect(sameValue({ a: 1, b: { c: [1, 2] }, d: undefined }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
  });
});

describe('withoutUndefined', () => {
  it('drops the keys whose value is undefined and keeps null, 0, false and empty strings', () => {
    // Act
    const result = withoutUndefined({ a: undefined, b: null, c: 0, d: false, e: '' });

    // Assess
    expect(Object.keys(result)).toEqual(['b', 'c', 'd', 'e']);
  });
});
