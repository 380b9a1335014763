import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { ulidTimePart } from '../../../../../functions/adapters/dynamodb/complaint-store';

describe('ulidTimePart', () => {
  it('encodes milliseconds as the 10-character time part of a ULID, lowercased as complaint ids store it', () => {
    // Prepare
    const ms = Date.parse('2026-11-23T09:30:00.123Z');

    // Act
    const part = ulidTimePart(ms);

    // Assess: the ulid package decodes it back to the same instant
    expect(part).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
    expect(decodeTime(`${part.toUpperCase()}0000000000000000`)).toBe(ms);
  });

  it('orders as the instants do, so a requested-time range is a sort key range', () => {
    // Act
    const parts = [0, 1, 31, 32, 1_700_000_000_000, 1_800_000_000_000].map(ulidTimePart);

    // Assess
    expect([...parts].sort()).toEqual(parts);
  });
});
