import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/contracts', async () => (await import('./create-contract')).createContractHandler),
  lazyRoute('GET /v1/contracts', async () => (await import('./list-contracts')).listContractsHandler),
  lazyRoute('GET /v1/contracts/{contractId}', async () => (await import('./get-contract')).getContractHandler),
  lazyRoute('POST /v1/contracts/{contractId}/activate', async () => (await import('./activate-contract')).activateContractHandler),
  lazyRoute('POST /v1/contracts/{contractId}/suspend', async () => (await import('./suspend-contract')).suspendContractHandler),
  lazyRoute('POST /v1/contracts/{contractId}/resume', async () => (await import('./resume-contract')).resumeContractHandler),
  lazyRoute('POST /v1/contracts/{contractId}/terminate', async () => (await import('./terminate-contract')).terminateContractHandler),
  lazyRoute('POST /v1/contracts/{contractId}/amendments', async () => (await import('./amend-contract')).amendContractHandler),
  lazyRoute('GET /v1/contracts/{contractId}/versions', async () => (await import('./list-contract-versions')).listContractVersionsHandler),
];

/** The contracts Lambda: every /v1/contracts route. */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
