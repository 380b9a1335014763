import { evaluateTenderLot } from '../../../domain/tenders/use-cases';
import { route } from '../../shared/http';
import { tenderDeps } from './deps';
import { evaluateLotRoute } from './routes';

/** The table is the answer; the ETag is the tender's new version, which the award names. */
export const evaluateLotHandler = route(evaluateLotRoute, async ({ actor, params, ifMatch }) => {
  const { tender, table } = await evaluateTenderLot(tenderDeps(), actor, params.tenderId, params.lotId, ifMatch!);
  return { status: 200, body: table, headers: { etag: `"${tender.version}"` } };
});
