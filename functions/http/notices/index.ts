import { httpModule } from '../../shared/http';
import { listNoticesHandler } from './list-notices';

/** The notices Lambda: GET /v1/notices. */
export const handler = httpModule([listNoticesHandler]);
