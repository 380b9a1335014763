import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { amendStandardHandler } from './amend-standard';
import { createExceptionHandler } from './create-exception';
import { createStandardHandler } from './create-standard';
import { getCalendarHandler } from './get-calendar';
import { getStandardHandler } from './get-standard';
import { listExceptionsHandler } from './list-exceptions';
import { listStandardsHandler } from './list-standards';
import { putCalendarHandler } from './put-calendar';
import { withdrawExceptionHandler } from './withdraw-exception';

/** The schedule Lambda: standards, schedule exceptions and the tenant calendar. */
export const handler = httpModule([
  createStandardHandler,
  listStandardsHandler,
  getStandardHandler,
  amendStandardHandler,
  createExceptionHandler,
  listExceptionsHandler,
  withdrawExceptionHandler,
  getCalendarHandler,
  putCalendarHandler,
], { idempotency: runIdempotently });
