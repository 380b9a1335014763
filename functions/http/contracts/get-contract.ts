import { getContract } from '../../../domain/contracts/use-cases';
import { ok, route } from '../../shared/http';
import { contractDeps } from './deps';
import { getContractRoute } from './routes';

/** The contract itself at the top level (so its version is the ETag), with the terms in force on asOf. */
export const getContractHandler = route(getContractRoute, async ({ actor, params, query }) => {
  const { contract, asOf, terms } = await getContract(contractDeps(), actor, params.contractId, query.asOf);
  return ok({ ...contract, asOf, terms: terms ?? null });
});
