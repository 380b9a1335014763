import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/inspections', async () => (await import('./record-inspection')).recordInspectionHandler),
  lazyRoute('POST /v1/inspections/preview', async () => (await import('./preview-inspection')).previewInspectionHandler),
  lazyRoute('GET /v1/inspections', async () => (await import('./list-inspections')).listInspectionsHandler),
  lazyRoute('GET /v1/inspections/checklist', async () => (await import('./get-inspection-checklist')).getInspectionChecklistHandler),
  lazyRoute('GET /v1/inspections/{inspectionId}', async () => (await import('./get-inspection')).getInspectionHandler),
  lazyRoute('POST /v1/inspections/{inspectionId}/corrections', async () => (await import('./correct-inspection')).correctInspectionHandler),
  lazyRoute('POST /v1/inspections/uploads', async () => (await import('./request-inspection-upload')).requestInspectionUploadHandler),
];

/**
 * The inspections Lambda: record, correct, read and list inspections, and issue their photo
 * uploads (issue 6); preview an inspection before saving it and read a segment's checklist
 * (issue 14, the field app).
 */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
