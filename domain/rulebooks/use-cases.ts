import { NotFoundError, ValidationError } from '../errors';
import { authorize, type Actor } from '../policy';
import { Rulebook } from './schema';
import { rulebookTemplates, templateById, type RulebookTemplate } from './templates';

/**
 * Rulebook use cases. Rulebooks live inside contracts (see contracts/contract.ts); what is
 * shared is the shipped templates and a dry-run check for people writing their own.
 */

export function listRulebookTemplates(actor: Actor): readonly RulebookTemplate[] {
  authorize(actor, 'rulebook:read');
  return rulebookTemplates;
}

export function getRulebookTemplate(actor: Actor, templateId: string): RulebookTemplate {
  authorize(actor, 'rulebook:read');
  const template = templateById(templateId);
  if (template === undefined) throw new NotFoundError('rulebook template', templateId);
  return template;
}

/**
 * Validates a rulebook someone is writing without storing anything: the parsed rulebook, or
 * a ValidationError listing every failing field (the same answers a contract create gives).
 */
export function checkRulebook(actor: Actor, input: unknown): Rulebook {
  authorize(actor, 'rulebook:write');
  const result = Rulebook.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
    throw new ValidationError(`${issues.length} rulebook field(s) failed validation`, issues);
  }
  return result.data;
}
