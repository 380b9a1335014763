import type { SubmitResult } from '../../../domain/proofs/use-cases';
import { ok, type HttpResult } from '../../shared/http';
import { localized, type Locale } from '../../shared/locale';
import { languageHeaders, problemTitle } from '../../shared/problem';

/**
 * A submission's answer: 201 with the accepted proof, or a 422 problem+json RETURNED (not
 * thrown) so Idempotency-Key stores and replays it like a success (functions/shared/http.ts).
 * In the caller's language (issue 13): with `Accept-Language: zh-CN` the title, the detail and
 * the reasons are Chinese, with the same numbers ("距路段 317 米，限 50 米"); `failures` keep
 * both texts (`message`, `zh`), as the stored proof does.
 */
export function submissionResult(result: SubmitResult, requestId: string, locale: Locale = 'en'): HttpResult {
  if (result.outcome === 'accepted') return ok(result.proof, 201);
  const failures = result.outcome === 'refused' ? result.proof.failures : result.failures;
  const reasons = failures.map((failure) => localized(locale, failure.message, failure.zh));
  const separator = locale === 'zh-CN' ? '；' : '; ';
  const title = problemTitle('Unprocessable', locale);
  const body =
    result.outcome === 'refused'
      ? {
          type: '/problems/proof-refused',
          title,
          status: 422,
          detail: localized(locale, `proof ${result.proof.proofId} refused: ${reasons.join(separator)}`, `作业凭证 ${result.proof.proofId} 未被接受：${reasons.join(separator)}`),
          reasons,
          failures,
          flags: result.proof.flags,
          proofId: result.proof.proofId,
          requestId,
        }
      : {
          type: '/problems/proof-duplicate',
          title,
          status: 422,
          detail: reasons.join(separator),
          reasons,
          failures,
          otherProofId: result.otherProofId,
          requestId,
        };
  return { status: 422, body, headers: { 'content-type': 'application/problem+json', ...languageHeaders(locale) } };
}
