import { submitTaskProof } from '../../../domain/proofs/use-cases';
import { route } from '../../shared/http';
import { localeOf } from '../../shared/locale';
import { proofDeps } from './deps';
import { submissionResult } from './refusal';
import { submitTaskProofRoute } from './routes';

export const submitTaskProofHandler = route(submitTaskProofRoute, async ({ actor, params, body, requestId, headers }) =>
  submissionResult(await submitTaskProof(proofDeps(), actor, params.taskId, body), requestId, localeOf(headers)),
);
