import { httpModule } from '../../shared/http';
import { getRulebookTemplateHandler } from './get-rulebook-template';
import { listRulebookTemplatesHandler } from './list-rulebook-templates';
import { validateRulebookHandler } from './validate-rulebook';

/** The rulebooks Lambda: shipped templates and the dry-run check; it touches no table. */
export const handler = httpModule([listRulebookTemplatesHandler, getRulebookTemplateHandler, validateRulebookHandler]);
