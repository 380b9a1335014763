import { httpModule } from '../../shared/http';
import { exportStatementHandler } from './export-statement';
import { listPerformanceFailuresHandler } from './list-performance-failures';

/** The exports Lambda: statement files (XLSX, CSV) and the OCDS performance failures. */
export const handler = httpModule([exportStatementHandler, listPerformanceFailuresHandler]);
