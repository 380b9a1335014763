import { describe, expect, it } from 'vitest';
import { evidenceIdOf } from '../../../../domain/proofs/evidence';
import { nextRequestUuid, runWithRequestIds } from '../../../../functions/shared/request-ids';

describe('nextRequestUuid', () => {
  const seed = { startedAtMs: Date.parse('2026-12-07T04:00:00Z'), scope: 'tenant route key caller body' };

  it('draws the same UUIDs in the same order for every attempt of a request', () => {
    // Act
    const first = runWithRequestIds(seed, () => [nextRequestUuid(), nextRequestUuid()]);
    const retry = runWithRequestIds(seed, () => [nextRequestUuid(), nextRequestUuid()]);

    // Assess
    expect(retry).toEqual(first);
    expect(first[0]).not.toBe(first[1]);
  });

  it('gives RFC 9562 version-8 UUIDs that evidence ids accept, different for another request', () => {
    // Act
    const [uuid] = runWithRequestIds(seed, () => [nextRequestUuid()]);
    const [other] = runWithRequestIds({ ...seed, scope: 'another request' }, () => [nextRequestUuid()]);

    // Assess
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(evidenceIdOf(uuid!)).toMatch(/^ev_[0-9a-f]{32}$/);
    expect(other).not.toBe(uuid);
  });

  it('answers undefined outside an idempotent request (the caller draws a random UUID)', () => {
    expect(nextRequestUuid()).toBeUndefined();
  });
});
