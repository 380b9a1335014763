import { amendStandard } from '../../../domain/schedule/use-cases';
import { ok, route } from '../../shared/http';
import { scheduleDeps } from './deps';
import { amendStandardRoute } from './routes';

export const amendStandardHandler = route(amendStandardRoute, async ({ actor, params, body, ifMatch }) =>
  ok(await amendStandard(scheduleDeps(), actor, params.standardId, ifMatch!, body), 201),
);
