import { getRulebookTemplate } from '../../../domain/rulebooks/use-cases';
import { ok, route } from '../../shared/http';
import { getRulebookTemplateRoute } from './routes';

export const getRulebookTemplateHandler = route(getRulebookTemplateRoute, async ({ actor, params }) =>
  ok(getRulebookTemplate(actor, params.templateId)),
);
