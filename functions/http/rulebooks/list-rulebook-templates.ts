import { listRulebookTemplates } from '../../../domain/rulebooks/use-cases';
import { ok, route } from '../../shared/http';
import { listRulebookTemplatesRoute } from './routes';

export const listRulebookTemplatesHandler = route(listRulebookTemplatesRoute, async ({ actor }) => ok({ items: listRulebookTemplates(actor) }));
