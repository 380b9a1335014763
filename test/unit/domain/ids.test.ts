import { describe, expect, it } from 'vitest';
import { derivedId, prefixedUlid } from '../../../domain/ids';

describe('derivedId', () => {
  it('is the prefix, an underscore and 16 lowercase base32 characters', () => {
    expect(derivedId('seg', 'huangpu', 'HP-NJDL-001')).toMatch(/^seg_[a-z2-7]{16}$/);
  });

  it('keeps the parts apart: (ab, c) and (a, bc) give different ids', () => {
    expect(derivedId('seg', 'ab', 'c')).not.toBe(derivedId('seg', 'a', 'bc'));
  });

  it('changes with the prefix only in the prefix', () => {
    expect(derivedId('ctr', 'a', 'b').slice(4)).toBe(derivedId('seg', 'a', 'b').slice(4));
  });
});

describe('prefixedUlid', () => {
  it('lowercases the ULID after the prefix', () => {
    expect(prefixedUlid('con', '01JNQ000000000000000000001')).toBe('con_01jnq000000000000000000001');
  });

  it.each(['01JNQ00000000000000000000', '01JNQ00000000000000000000I', 'not-a-ulid'])('refuses %s with a RangeError', (ulid) => {
    expect(() => prefixedUlid('con', ulid)).toThrow(RangeError);
  });
});
