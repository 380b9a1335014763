import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { getProofHandler } from './get-proof';
import { getProofReportHandler } from './get-proof-report';
import { listContractProofsHandler } from './list-contract-proofs';
import { listFlaggedProofsHandler } from './list-flagged-proofs';
import { listProofPhotosHandler } from './list-proof-photos';
import { rejectProofHandler } from './reject-proof';
import { requestTaskUploadHandler } from './request-task-upload';
import { submitTaskProofHandler } from './submit-task-proof';
import { undoProofRejectionHandler } from './undo-proof-rejection';

/** The proofs Lambda: task uploads and proofs, review, the flagged-proof queue, and the day report. */
export const handler = httpModule(
  [
    requestTaskUploadHandler,
    submitTaskProofHandler,
    listContractProofsHandler,
    listFlaggedProofsHandler,
    getProofHandler,
    listProofPhotosHandler,
    rejectProofHandler,
    undoProofRejectionHandler,
    getProofReportHandler,
  ],
  { idempotency: runIdempotently },
);
