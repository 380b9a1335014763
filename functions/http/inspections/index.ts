import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { correctInspectionHandler } from './correct-inspection';
import { getInspectionHandler } from './get-inspection';
import { getInspectionChecklistHandler } from './get-inspection-checklist';
import { listInspectionsHandler } from './list-inspections';
import { previewInspectionHandler } from './preview-inspection';
import { recordInspectionHandler } from './record-inspection';
import { requestInspectionUploadHandler } from './request-inspection-upload';

/**
 * The inspections Lambda: record, correct, read and list inspections, and issue their photo
 * uploads (issue 6); preview an inspection before saving it and read a segment's checklist
 * (issue 14, the field app).
 */
export const handler = httpModule(
  [
    recordInspectionHandler,
    previewInspectionHandler,
    listInspectionsHandler,
    getInspectionChecklistHandler,
    getInspectionHandler,
    correctInspectionHandler,
    requestInspectionUploadHandler,
  ],
  { idempotency: runIdempotently },
);
