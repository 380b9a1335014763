import { contractorHistory } from '../../../domain/contractors/use-cases';
import { ok, route } from '../../shared/http';
import { contractorDeps } from './deps';
import { contractorHistoryRoute } from './routes';

export const listContractorHistoryHandler = route(contractorHistoryRoute, async ({ actor, params, query }) =>
  ok(await contractorHistory(contractorDeps(), actor, params.contractorId, query)),
);
