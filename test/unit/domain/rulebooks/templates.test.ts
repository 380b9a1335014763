import { describe, expect, it } from 'vitest';
import { Rulebook } from '../../../../domain/rulebooks/schema';
import { rulebookFromTemplate, rulebookTemplates, templateById } from '../../../../domain/rulebooks/templates';
import { validateRulebook } from '../../../../domain/rulebooks/validate';
import { serviceTypes } from '../../../../domain/service-types';

describe('shipped rulebook templates', () => {
  it.each(rulebookTemplates.map((template) => [template.templateId, template] as const))('%s passes every cross-field rule', (_id, template) => {
    // Act
    const issues = validateRulebook(template.rulebook);
    // Assess
    expect(issues).toEqual([]);
  });

  it.each(rulebookTemplates.map((template) => [template.templateId, template] as const))('%s parses unchanged through the Rulebook schema', (_id, template) => {
    const parsed = Rulebook.parse(template.rulebook);

    expect(parsed).toEqual(template.rulebook);
  });

  it.each(rulebookTemplates.map((template) => [template.templateId, template] as const))('%s declares the service type of its rulebook', (_id, template) => {
    expect(template.rulebook.serviceType).toBe(template.serviceType);
  });

  it('ships at least one template per service type', () => {
    const covered = new Set(rulebookTemplates.map((template) => template.serviceType));

    expect([...covered].sort()).toEqual([...serviceTypes].sort());
  });

  it('gives every template its own id', () => {
    const ids = rulebookTemplates.map((template) => template.templateId);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('finds a template by id', () => {
    const template = templateById('municipal-roads');

    expect(template?.serviceType).toBe('municipal');
  });

  it('answers undefined for an unknown template id', () => {
    expect(templateById('cleaning-beijing-2014')).toBeUndefined();
  });

  it('caps social-supervision complaints as Suqian does: −2 each, at most −10', () => {
    const template = templateById('cleaning-standard');

    const rulebook = template?.rulebook;

    expect(rulebook?.complaint.pointsX100).toBe(200);
    expect(rulebook?.categoryCaps).toContainEqual({ category: 'complaints', capX100: 1_000 });
  });

  it('makes a manhole cover safe within 2 hours in the municipal template (TxDOT hazard mitigation)', () => {
    const cover = templateById('municipal-roads')?.rulebook.defectItems.find((item) => item.code === 'MU-COVER');

    expect(cover?.rectify).toEqual({ hours: 2, mode: 'deduct' });
  });
});

describe('rulebookFromTemplate', () => {
  it('records the template and version it was copied from', () => {
    const template = templateById('greening-class1')!;

    const copy = rulebookFromTemplate(template);

    expect(copy.basedOn).toEqual({ templateId: 'greening-class1', templateVersion: 2 });
  });

  it('copies deeply, so changing the copy leaves the template alone', () => {
    const template = templateById('cleaning-standard')!;
    const copy = rulebookFromTemplate(template);

    copy.defectItems[0]!.pointsX100 = 9_999;

    expect(template.rulebook.defectItems[0]!.pointsX100).toBe(200);
  });
});
