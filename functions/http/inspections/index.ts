import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { correctInspectionHandler } from './correct-inspection';
import { getInspectionHandler } from './get-inspection';
import { listInspectionsHandler } from './list-inspections';
import { recordInspectionHandler } from './record-inspection';
import { requestInspectionUploadHandler } from './request-inspection-upload';

/** The inspections Lambda: record, correct, read and list inspections, and issue their photo uploads (issue 6). */
export const handler = httpModule(
  [recordInspectionHandler, listInspectionsHandler, getInspectionHandler, correctInspectionHandler, requestInspectionUploadHandler],
  { idempotency: runIdempotently },
);
