import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/tasks/{taskId}/uploads', async () => (await import('./request-task-upload')).requestTaskUploadHandler),
  lazyRoute('POST /v1/tasks/{taskId}/proofs', async () => (await import('./submit-task-proof')).submitTaskProofHandler),
  lazyRoute('GET /v1/contracts/{contractId}/proofs', async () => (await import('./list-contract-proofs')).listContractProofsHandler),
  lazyRoute('GET /v1/proofs/flagged', async () => (await import('./list-flagged-proofs')).listFlaggedProofsHandler),
  lazyRoute('GET /v1/proofs/{proofId}', async () => (await import('./get-proof')).getProofHandler),
  lazyRoute('GET /v1/proofs/{proofId}/photos', async () => (await import('./list-proof-photos')).listProofPhotosHandler),
  lazyRoute('POST /v1/proofs/{proofId}/rejection', async () => (await import('./reject-proof')).rejectProofHandler),
  lazyRoute('POST /v1/proofs/{proofId}/rejection/undo', async () => (await import('./undo-proof-rejection')).undoProofRejectionHandler),
  lazyRoute('GET /v1/contracts/{contractId}/proof-report', async () => (await import('./get-proof-report')).getProofReportHandler),
];

/** The proofs Lambda: task uploads and proofs, review, the flagged-proof queue, and the day report. */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
