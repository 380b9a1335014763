import { beforeAll, describe, expect, it } from 'vitest';
import type { Rulebook } from '../../domain/rulebooks/schema';
import type { RulebookTemplate } from '../../domain/rulebooks/templates';
import { serviceTypes } from '../../domain/service-types';
import type { Problem } from '../../functions/shared/schemas';
import { paddedRulebook } from '../fixtures/large-rulebook';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';

/**
 * Rulebook templates and the dry-run check end to end on the local stack (the rulebooks
 * Lambda touches no table). A broken rulebook must be answered with every failing field.
 */

const fieldsOf = (problem: Problem): string[] => problem.errors?.map((error) => error.field) ?? [];

describe('rulebooks on the local stack', () => {
  let procurement: string;
  let contractor: string;
  let templates: RulebookTemplate[];

  beforeAll(async () => {
    const tenantId = uniqueTenantId('rulebooks');
    procurement = await tokenFor('procurement', { tenantId });
    contractor = await tokenFor('contractor', { tenantId, contractorId: 'ctr_demo000000000001' });
    const listed = await api.request<{ items: RulebookTemplate[] }>('GET', '/v1/rulebook-templates', { token: procurement });
    expect(listed.status).toBe(200);
    templates = listed.json.items;
  });

  /** A deep copy of the shipped cleaning rulebook, to break in one test without touching the others. */
  function cleaningRulebook(): Rulebook {
    const template = templates.find((candidate) => candidate.serviceType === 'cleaning');
    if (template === undefined) throw new Error('no cleaning template');
    return structuredClone(template.rulebook);
  }

  it('lists at least one template per service type, each with Chinese title, sources and a rulebook', () => {
    expect(new Set(templates.map((template) => template.serviceType))).toEqual(new Set(serviceTypes));
    for (const template of templates) {
      expect(template.titleZh).toMatch(/[\u4e00-\u9fff]/);
      expect(template.summary.length).toBeGreaterThan(20);
      expect(template.rulebook.serviceType).toBe(template.serviceType);
      expect(template.rulebook.defectItems.length).toBeGreaterThan(0);
    }
  });

  it('reads each template by its id, with its version as ETag', async () => {
    for (const template of templates) {
      const read = await api.request<RulebookTemplate>('GET', `/v1/rulebook-templates/${template.templateId}`, { token: contractor });

      expect(read.status).toBe(200);
      expect(read.json).toEqual(template);
      expect(read.headers['etag']).toBe(`"${template.version}"`);
    }
  });

  it('answers 404 for a template that does not exist and 400 for a malformed id', async () => {
    const missing = await api.request<Problem>('GET', '/v1/rulebook-templates/cleaning-deluxe', { token: procurement });
    const malformed = await api.request<Problem>('GET', '/v1/rulebook-templates/Cleaning_Standard', { token: procurement });

    expect(missing.status).toBe(404);
    expect(missing.json.detail).toContain('cleaning-deluxe');
    expect(malformed.status).toBe(400);
    expect(fieldsOf(malformed.json)).toEqual(['params.templateId']);
  });

  it('validates every shipped rulebook: 200 with the rulebook unchanged', async () => {
    for (const template of templates) {
      const checked = await api.request<Rulebook>('POST', '/v1/rulebooks/validate', { token: procurement, body: template.rulebook });

      expect(checked.status, template.templateId).toBe(200);
      expect(checked.json).toEqual(template.rulebook);
      expect(checked.headers['etag']).toBeUndefined();
    }
  });

  it('refuses a schema-valid rulebook too large for the item that stores it (~640 KB) with 400 naming it, and accepts ~231 KB', async () => {
    const tooLarge = await api.request<Problem>('POST', '/v1/rulebooks/validate', { token: procurement, body: paddedRulebook(480) });
    const large = await api.request<Rulebook>('POST', '/v1/rulebooks/validate', { token: procurement, body: paddedRulebook(170) });

    expect(tooLarge.status, tooLarge.text.slice(0, 300)).toBe(400);
    expect(tooLarge.json.errors?.find((error) => error.message.includes('bytes as JSON'))).toMatchObject({ field: 'body', message: expect.stringContaining('262144') });
    expect(large.status, large.text.slice(0, 300)).toBe(200);
  });

  it('fills in the defaults of a minimal rulebook', async () => {
    const { categoryCaps: _caps, spotCheckPlan: _plan, listing: _listing, protocols: _protocols, ...minimal } = cleaningRulebook();

    const checked = await api.request<Rulebook>('POST', '/v1/rulebooks/validate', { token: procurement, body: minimal });

    expect(checked.status).toBe(200);
    expect(checked.json).toMatchObject({ categoryCaps: [], spotCheckPlan: [], listing: {}, protocols: {} });
  });

  it('names each broken rule: a gap below the lowest band, a coefficient rising as the score falls, a duplicate item code', async () => {
    const rulebook = cleaningRulebook();
    rulebook.scoreBands = rulebook.scoreBands.filter((band) => band.minScoreX100 > 0);
    const rising = rulebook.scoreBands.findIndex((band) => band.minScoreX100 === 8_000);
    rulebook.scoreBands[rising]!.coefficientBps = 10_050;
    rulebook.defectItems[1]!.code = rulebook.defectItems[0]!.code;

    const refused = await api.request<Problem>('POST', '/v1/rulebooks/validate', { token: procurement, body: rulebook });

    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(fieldsOf(refused.json).sort()).toEqual(['body.defectItems.1.code', 'body.scoreBands', `body.scoreBands.${rising}.coefficientBps`].sort());
    const message = (field: string): string => refused.json.errors?.find((error) => error.field === field)?.message ?? '';
    expect(message('body.scoreBands')).toContain('no band starts at 0.00');
    expect(message(`body.scoreBands.${rising}.coefficientBps`)).toContain('a lower score may not pay more');
    expect(message('body.defectItems.1.code')).toContain('codes must be unique');
  });

  it('names two bands with the same threshold as an overlap', async () => {
    const rulebook = cleaningRulebook();
    rulebook.scoreBands.push({ minScoreX100: 9_000, coefficientBps: 10_000 });

    const refused = await api.request<Problem>('POST', '/v1/rulebooks/validate', { token: procurement, body: rulebook });

    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.json)).toEqual([`body.scoreBands.${rulebook.scoreBands.length - 1}.minScoreX100`]);
  });

  it('refuses negative amounts and fractional points, naming each field', async () => {
    const rulebook = cleaningRulebook();
    rulebook.defectItems[0]!.fineFen = -100;
    rulebook.defectItems[2]!.pointsX100 = 1.5;
    rulebook.retentionBps = -1;

    const refused = await api.request<Problem>('POST', '/v1/rulebooks/validate', { token: procurement, body: rulebook });

    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.json).sort()).toEqual(['body.defectItems.0.fineFen', 'body.defectItems.2.pointsX100', 'body.retentionBps']);
  });

  it('lets any role read templates but only procurement and admin check a rulebook', async () => {
    const listed = await api.request('GET', '/v1/rulebook-templates', { token: contractor });
    const checked = await api.request<Problem>('POST', '/v1/rulebooks/validate', { token: contractor, body: cleaningRulebook() });
    const anonymous = await api.request<Problem>('GET', '/v1/rulebook-templates');

    expect(listed.status).toBe(200);
    expect(checked.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });
});
