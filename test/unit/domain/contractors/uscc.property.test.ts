import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registrationAuthorities, usccAlphabet, usccCheckCharacter, validateUscc } from '../../../../domain/contractors/uscc';

const runs = { numRuns: 200 };

/** A well-formed code: an authority and one of its types, a 6-digit division, 9 organisation-code characters, then its check character. */
const validCode = fc
  .constantFrom(...Object.keys(registrationAuthorities))
  .chain((authority) =>
    fc.tuple(
      fc.constant(authority),
      fc.constantFrom(...Object.keys(registrationAuthorities[authority]?.types ?? {})),
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 6, maxLength: 6 }),
      fc.string({ unit: fc.constantFrom(...usccAlphabet), minLength: 9, maxLength: 9 }),
    ),
  )
  .map(([authority, type, division, organization]) => {
    const first17 = `${authority}${type}${division}${organization}`;
    return `${first17}${usccCheckCharacter(first17)}`;
  });

/**
 * Characters to put in place of one of the code's: the alphabet, the five letters it never
 * uses, lower case, a space and punctuation. Lower case is upper-cased before the check, so
 * a replacement counts as a change only when its upper case differs from the original.
 */
const replacements = [...usccAlphabet, ...'IOZSV', ...'abcdefghijklmnopqrstuvwxyz', ' ', '-', '*'];

describe('USCC properties (GB 32100-2015)', () => {
  it('accepts every code whose last character is usccCheckCharacter of the first 17', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        const result = validateUscc(code);

        expect(result).toMatchObject({ ok: true, normalized: code });
      }),
      runs,
    );
  });

  it('refuses every single-character change of a valid code', () => {
    const change = validCode.chain((code) =>
      fc.tuple(fc.constant(code), fc.integer({ min: 0, max: 17 })).chain(([original, position]) =>
        fc
          .constantFrom(...replacements)
          .filter((character) => character.toUpperCase() !== original[position])
          .map((character) => ({ original, position, changed: `${original.slice(0, position)}${character}${original.slice(position + 1)}` })),
      ),
    );

    fc.assert(
      fc.property(change, ({ changed }) => {
        expect(validateUscc(changed).ok).toBe(false);
      }),
      runs,
    );
  });
});
