import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { getContractorHandler } from './get-contractor';
import { listContractorHistoryHandler } from './list-contractor-history';
import { listContractorsHandler } from './list-contractors';
import { registerContractorHandler } from './register-contractor';
import { reinstateContractorHandler } from './reinstate-contractor';
import { setContractorListingHandler } from './set-contractor-listing';
import { suspendContractorHandler } from './suspend-contractor';
import { updateContractorHandler } from './update-contractor';

/** The contractors Lambda: every /v1/contractors route. */
export const handler = httpModule([
  registerContractorHandler,
  getContractorHandler,
  listContractorsHandler,
  updateContractorHandler,
  suspendContractorHandler,
  reinstateContractorHandler,
  setContractorListingHandler,
  listContractorHistoryHandler,
], { idempotency: runIdempotently });
