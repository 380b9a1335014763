import { describe, expect, it } from 'vitest';
import { maxListedIssues } from '../../functions/shared/http';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';

/**
 * Bugs the fuzz suite found, pinned with the exact request so they stay fixed whatever seed
 * the next run draws.
 */
describe('fuzz findings', () => {
  async function postLine(items: number) {
    const token = await tokenFor('admin', { tenantId: uniqueTenantId('fuzzreg') });
    const body = JSON.stringify({ name: 'x', street: 'y', geometry: { type: 'LineString', coordinates: Array.from({ length: items }, () => 1) } });
    return api.request<{ detail: string; errors: Array<{ field: string }> }>('POST', '/v1/segments', {
      token,
      body,
      headers: { 'content-type': 'application/json' },
    });
  }

  it.each([20_000, 300_000])(
    'a line of %i items, over the 5 000 the schema allows, is a short 400 naming the coordinates (was: 10 MB answers, then a 500)',
    async (items) => {
      const res = await postLine(items);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json.errors.map((error) => error.field)).toContain('body.geometry.coordinates');
      expect(res.text.length).toBeLessThan(64 * 1024);
    },
    60_000,
  );

  it.each([5_000])(
    'a body with %i wrong array items is a short 400 listing the first 100 fields',
    async (items) => {
      const res = await postLine(items);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json.errors).toHaveLength(maxListedIssues);
      expect(res.json.errors[0]!.field).toMatch(/^body\./);
      expect(res.json.detail).toMatch(/failed validation; the first 100 are listed/);
      expect(res.text.length).toBeLessThan(64 * 1024);
    },
    60_000,
  );
});
