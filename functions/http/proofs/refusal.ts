import type { SubmitResult } from '../../../domain/proofs/use-cases';
import { ok, type HttpResult } from '../../shared/http';

/**
 * A submission's answer: 201 with the accepted proof, or a 422 problem+json RETURNED (not
 * thrown) so Idempotency-Key stores and replays it like a success (functions/shared/http.ts).
 */
export function submissionResult(result: SubmitResult, requestId: string): HttpResult {
  if (result.outcome === 'accepted') return ok(result.proof, 201);
  const failures = result.outcome === 'refused' ? result.proof.failures : result.failures;
  const reasons = failures.map((failure) => failure.message);
  const body =
    result.outcome === 'refused'
      ? {
          type: '/problems/proof-refused',
          title: 'Unprocessable',
          status: 422,
          detail: `proof ${result.proof.proofId} refused: ${reasons.join('; ')}`,
          reasons,
          failures,
          flags: result.proof.flags,
          proofId: result.proof.proofId,
          requestId,
        }
      : {
          type: '/problems/proof-duplicate',
          title: 'Unprocessable',
          status: 422,
          detail: reasons.join('; '),
          reasons,
          failures,
          otherProofId: result.otherProofId,
          requestId,
        };
  return { status: 422, body, headers: { 'content-type': 'application/problem+json' } };
}
