import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { correctInspectionHandler } from './correct-inspection';
import { getInspectionHandler } from './get-inspection';
import { listInspectionsHandler } from './list-inspections';
import { recordInspectionHandler } from './record-inspection';

/** The inspections Lambda: record, correct, read and list inspections (issue 6). */
export const handler = httpModule([recordInspectionHandler, listInspectionsHandler, getInspectionHandler, correctInspectionHandler], { idempotency: runIdempotently });
