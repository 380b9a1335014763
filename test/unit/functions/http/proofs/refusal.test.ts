import { describe, expect, it } from 'vitest';
import type { Proof } from '../../../../../domain/proofs/schema';
import { submissionResult } from '../../../../../functions/http/proofs/refusal';

const proof = {
  proofId: 'prf_01jpz8x4k90000000000000001',
  status: 'refused',
  version: 1,
  failures: [{ code: 'outside-geofence', message: "GPS 212 m from segment 'Ordos Ave 3', limit 50 m" }],
  flags: [],
} as unknown as Proof;

describe('submissionResult', () => {
  it('answers an accepted proof with 201 and its version as ETag', () => {
    expect(submissionResult({ outcome: 'accepted', proof: { ...proof, status: 'accepted', failures: [] } }, 'req-1')).toMatchObject({ status: 201, headers: { etag: '"1"' } });
  });

  it('RETURNS a refusal as a 422 problem (so Idempotency-Key replays it) with reasons and machine-readable failures', () => {
    const result = submissionResult({ outcome: 'refused', proof }, 'req-1');

    expect(result).toEqual({
      status: 422,
      headers: { 'content-type': 'application/problem+json', 'content-language': 'en', vary: 'Accept-Language' },
      body: {
        type: '/problems/proof-refused',
        title: 'Unprocessable',
        status: 422,
        detail: `proof ${proof.proofId} refused: GPS 212 m from segment 'Ordos Ave 3', limit 50 m`,
        reasons: ["GPS 212 m from segment 'Ordos Ave 3', limit 50 m"],
        failures: proof.failures,
        flags: [],
        proofId: proof.proofId,
        requestId: 'req-1',
      },
    });
  });

  it('names the accepted proof of a duplicate', () => {
    const result = submissionResult({ outcome: 'duplicate', otherProofId: 'prf_x', failures: [{ code: 'duplicate', otherProofId: 'prf_x', message: 'task t already has accepted proof prf_x' }] }, 'req-2');

    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({ type: '/problems/proof-duplicate', otherProofId: 'prf_x', reasons: ['task t already has accepted proof prf_x'] });
  });
});
