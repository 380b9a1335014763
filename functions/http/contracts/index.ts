import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { activateContractHandler } from './activate-contract';
import { amendContractHandler } from './amend-contract';
import { createContractHandler } from './create-contract';
import { getContractHandler } from './get-contract';
import { listContractVersionsHandler } from './list-contract-versions';
import { listContractsHandler } from './list-contracts';
import { resumeContractHandler } from './resume-contract';
import { suspendContractHandler } from './suspend-contract';
import { terminateContractHandler } from './terminate-contract';

/** The contracts Lambda: every /v1/contracts route. */
export const handler = httpModule([
  createContractHandler,
  listContractsHandler,
  getContractHandler,
  activateContractHandler,
  suspendContractHandler,
  resumeContractHandler,
  terminateContractHandler,
  amendContractHandler,
  listContractVersionsHandler,
], { idempotency: runIdempotently });
