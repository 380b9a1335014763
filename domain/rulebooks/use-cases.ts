import { NotFoundError } from '../errors';
import { authorize, type Actor } from '../policy';
import { parseInput } from '../validation';
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
  // Paths relative to the rulebook (`scoreBands.1`), as validateRulebook and a contract's own issues name them.
  return parseInput(Rulebook, input, '');
}
