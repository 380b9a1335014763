import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../../domain/errors';
import type { Actor } from '../../../../domain/policy';
import { checkRulebook, getRulebookTemplate, listRulebookTemplates } from '../../../../domain/rulebooks/use-cases';
import { templateById } from '../../../../domain/rulebooks/templates';

const procurement: Actor = { userId: 'usr_procure_wang', tenantId: 'jingan', roles: ['procurement'] };
const inspector: Actor = { userId: 'usr_inspect_zhao', tenantId: 'jingan', roles: ['inspector'] };
const finance: Actor = { userId: 'usr_finance_li', tenantId: 'jingan', roles: ['finance'] };

describe('rulebook use cases', () => {
  it('lets an inspector read the shipped templates', () => {
    const templates = listRulebookTemplates(inspector);

    expect(templates.map((template) => template.templateId)).toContain('cleaning-standard');
  });

  it('answers 404 for an unknown template', () => {
    expect(() => getRulebookTemplate(inspector, 'cleaning-suzhou')).toThrow(NotFoundError);
  });

  it('refuses a rulebook check from finance, which may not write rulebooks', () => {
    expect(() => checkRulebook(finance, templateById('cleaning-standard')!.rulebook)).toThrow(ForbiddenError);
  });

  it('returns a sound rulebook parsed', () => {
    const rulebook = checkRulebook(procurement, templateById('greening-class1')!.rulebook);

    expect(rulebook.name).toBe('城市绿化养护作业考核办法');
  });

  it('lists every failing field of an unsound rulebook', () => {
    // Prepare
    const source = templateById('greening-class1')!.rulebook;
    const unsound = { ...source, scoreBands: source.scoreBands.filter((band) => band.minScoreX100 !== 0) };
    // Act
    const error = caught(() => checkRulebook(procurement, unsound));
    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['scoreBands']);
  });
});

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
