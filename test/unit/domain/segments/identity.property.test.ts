import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentIdFor } from '../../../../domain/segments/identity';

const runs = { numRuns: 200 };

/** Any text, astral characters and lone surrogates included, as GIS exports may carry. */
const text = fc.string({ unit: 'binary', maxLength: 40 });

/** The documented id written independently: 80 bits of SHA-256 as one BigInt, cut into 16 groups of 5. */
function reference(tenantId: string, externalId: string): string {
  const digest = createHash('sha256').update(`${tenantId}\u0000${externalId}`, 'utf8').digest().subarray(0, 10);
  const bits = BigInt(`0x${digest.toString('hex')}`);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const characters = Array.from({ length: 16 }, (_, i) => alphabet[Number((bits >> BigInt(75 - 5 * i)) & 31n)]);
  return `seg_${characters.join('')}`;
}

describe('segmentIdFor properties', () => {
  it('gives the same id for the same tenant and external id, shaped seg_ + 16 base32 characters', () => {
    fc.assert(
      fc.property(text, text, (tenantId, externalId) => {
        const id = segmentIdFor(tenantId, externalId);

        expect(segmentIdFor(tenantId, externalId)).toBe(id);
        expect(id).toMatch(/^seg_[0-9a-z]{16}$/);
      }),
      runs,
    );
  });

  it('is lowercase RFC 4648 base32 of the first 10 bytes of SHA-256(tenant NUL external id)', () => {
    fc.assert(
      fc.property(text, text, (tenantId, externalId) => {
        expect(segmentIdFor(tenantId, externalId)).toBe(reference(tenantId, externalId));
      }),
      runs,
    );
  });
});
