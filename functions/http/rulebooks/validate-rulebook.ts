import { checkRulebook } from '../../../domain/rulebooks/use-cases';
import { route } from '../../shared/http';
import { validateRulebookRoute } from './routes';

// Not `ok()`: the rulebook's `version` is the issuer's edition, not a stored record's, so no ETag.
export const validateRulebookHandler = route(validateRulebookRoute, async ({ actor, body }) => ({ status: 200, body: checkRulebook(actor, body) }));
