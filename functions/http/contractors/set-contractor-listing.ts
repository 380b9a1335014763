import { setContractorListing } from '../../../domain/contractors/use-cases';
import { ok, route } from '../../shared/http';
import { contractorDeps } from './deps';
import { setContractorListingRoute } from './routes';

export const setContractorListingHandler = route(setContractorListingRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await setContractorListing(contractorDeps(), actor, params.contractorId, ifMatch!, body)),
);
