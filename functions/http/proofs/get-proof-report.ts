import { proofReport } from '../../../domain/proofs/use-cases';
import { ok, route } from '../../shared/http';
import { proofDeps } from './deps';
import { proofReportRoute } from './routes';

export const getProofReportHandler = route(proofReportRoute, async ({ actor, params, query }) =>
  ok(await proofReport(proofDeps(), actor, params.contractId, query)),
);
