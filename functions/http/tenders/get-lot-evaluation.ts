import { getLotEvaluation } from '../../../domain/tenders/use-cases';
import { route } from '../../shared/http';
import { tenderDeps } from './deps';
import { getLotEvaluationRoute } from './routes';

export const getLotEvaluationHandler = route(getLotEvaluationRoute, async ({ actor, params }) => {
  const { tender, table } = await getLotEvaluation(tenderDeps(), actor, params.tenderId, params.lotId);
  return { status: 200, body: table, headers: { etag: `"${tender.version}"` } };
});
