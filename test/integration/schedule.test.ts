import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredCalendar, StoredException, StoredStandard } from '../../domain/schedule/ports';
import { cleaningStandard } from '../../domain/schedule/templates';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';

/**
 * Standards, schedule exceptions and the tenant calendar on the local stack, in a tenant of
 * this file's own. Traffic bans are the defaults (07:00–09:00, 16:00–18:00) until tenant
 * settings exist.
 */

type StandardView = StoredStandard & { readonly source: 'tenant' | 'template' };
type CalendarView = StoredCalendar & { readonly source: 'tenant' | 'seeded' };

/** A small standard of our own: machine washing of primary roads at night. */
function washStandard(standardId: string, windows: readonly { start: string; end: string }[]) {
  return {
    standardId,
    serviceType: 'cleaning',
    name: '主干道机扫冲洗标准',
    activities: [
      {
        activity: 'wash',
        grades: ['primary'],
        vehicle: true,
        seasons: [{ name: 'all year', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows }],
        holidays: 'run',
      },
    ],
  };
}

describe('schedule on the local stack', () => {
  let procurement: string;
  let inspector: string;
  let contractor: string;

  beforeAll(async () => {
    const tenantId = uniqueTenantId('schedule');
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    contractor = await tokenFor('contractor', { tenantId, contractorId: 'ctr_aaaaaaaaaaaaaaaa' });
  });

  it('serves a shipped template as a standard until the tenant stores its own', async () => {
    const answer = await api.request<StandardView>('GET', '/v1/standards/cleaning-standard', { token: contractor });
    const wrongVersion = await api.request<Problem>('GET', '/v1/standards/cleaning-standard?version=2', { token: contractor });
    const unknown = await api.request<Problem>('GET', '/v1/standards/no-such-standard', { token: contractor });

    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ source: 'template', standardId: 'cleaning-standard', version: 1 });
    expect(answer.json.activities).toHaveLength(cleaningStandard.activities.length);
    expect(wrongVersion.status).toBe(404);
    expect(unknown.status).toBe(404);
  });

  it('creates a standard from a template, lists it, and amends it as a new version with If-Match', async () => {
    const created = await api.request<StoredStandard>('POST', '/v1/standards', { token: procurement, body: { templateId: 'cleaning-standard', standardId: 'jingan-cleaning' } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ standardId: 'jingan-cleaning', version: 1, basedOn: { templateId: 'cleaning-standard', templateVersion: 1 } });
    expect(created.headers['etag']).toBe('"1"');

    const again = await api.request<Problem>('POST', '/v1/standards', { token: procurement, body: { templateId: 'cleaning-standard', standardId: 'jingan-cleaning' } });
    expect(again.status).toBe(409);

    const listed = await api.request<{ items: StoredStandard[] }>('GET', '/v1/standards', { token: inspector });
    expect(listed.json.items.map((standard) => standard.standardId)).toEqual(['jingan-cleaning']);

    const { standardId: _id, version: _version, basedOn: _basedOn, tenantId: _t, recordedAt: _at, recordedBy: _by, ...fields } = created.json;
    const amendedBody = { ...fields, name: '静安区道路清扫保洁作业标准(2026修订)' };
    const amended = await api.request<StoredStandard>('POST', '/v1/standards/jingan-cleaning/versions', { token: procurement, headers: { 'if-match': '"1"' }, body: amendedBody });
    const stale = await api.request<Problem>('POST', '/v1/standards/jingan-cleaning/versions', { token: procurement, headers: { 'if-match': '"1"' }, body: amendedBody });
    const first = await api.request<StandardView>('GET', '/v1/standards/jingan-cleaning?version=1', { token: contractor });
    const latest = await api.request<StandardView>('GET', '/v1/standards/jingan-cleaning', { token: contractor });

    expect(amended.status, amended.text).toBe(201);
    expect(amended.json).toMatchObject({ version: 2, name: '静安区道路清扫保洁作业标准(2026修订)', basedOn: { templateId: 'cleaning-standard' } });
    expect(stale.status).toBe(412);
    expect(first.json).toMatchObject({ version: 1, source: 'tenant' });
    expect(latest.json).toMatchObject({ version: 2, source: 'tenant' });
  });

  it('refuses a standard whose wash window overlaps the 07:00–09:00 ban, naming the window and the ban', async () => {
    const answer = await api.request<Problem>('POST', '/v1/standards', {
      token: procurement,
      body: { standard: washStandard('morning-wash', [{ start: '22:00', end: '05:00' }, { start: '06:00', end: '07:30' }]) },
    });

    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([
      { field: 'body.standard.activities.0.seasons.0.windows.1', message: expect.stringContaining('window 06:00–07:30 of wash (all year) overlaps the traffic ban 07:00–09:00') },
    ]);
  });

  it('accepts a whole standard that keeps out of the bans, and refuses writes to a contractor', async () => {
    const body = { standard: washStandard('night-wash', [{ start: '22:00', end: '05:00' }]) };
    const created = await api.request<StoredStandard>('POST', '/v1/standards', { token: procurement, body });
    const refused = await api.request<Problem>('POST', '/v1/standards', { token: contractor, body });

    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ standardId: 'night-wash', version: 1, recordedBy: expect.any(String) });
    expect(refused.status).toBe(403);
  });

  it('stores exceptions with author and time, lists them by dates and segment, and withdraws without deleting', async () => {
    const suspension = await api.request<StoredException>('POST', '/v1/schedule-exceptions', {
      token: procurement,
      body: { kind: 'segment_suspension', segmentIds: ['seg_aaaaaaaaaaaaaaaa'], from: '2026-12-01', to: '2026-12-10', reason: '施工占道:长江路雨污分流改造' },
    });
    const weather = await api.request<StoredException>('POST', '/v1/schedule-exceptions', {
      token: inspector,
      body: { kind: 'weather_suspension', date: '2026-12-20', activity: 'wash', reason: '最低气温低于3℃,停止冲洗' },
    });
    const byContractor = await api.request<Problem>('POST', '/v1/schedule-exceptions', {
      token: contractor,
      body: { kind: 'weather_suspension', date: '2026-12-20', activity: 'wash', reason: '想休息' },
    });
    expect(suspension.status, suspension.text).toBe(201);
    expect(weather.status, weather.text).toBe(201);
    expect(weather.json).toMatchObject({ status: 'active', version: 1, author: weather.json.createdBy, createdAt: expect.any(String) });
    expect(byContractor.status).toBe(403);

    const early = await api.request<{ items: StoredException[] }>('GET', '/v1/schedule-exceptions?from=2026-12-05&to=2026-12-15', { token: contractor });
    const onSegment = await api.request<{ items: StoredException[] }>('GET', '/v1/schedule-exceptions?segmentId=seg_bbbbbbbbbbbbbbbb', { token: contractor });
    expect(early.json.items.map((exception) => exception.exceptionId)).toEqual([suspension.json.exceptionId]);
    // The weather suspension names no segments: it touches every segment.
    expect(onSegment.json.items.map((exception) => exception.exceptionId)).toEqual([weather.json.exceptionId]);

    const path = `/v1/schedule-exceptions/${weather.json.exceptionId}/withdraw`;
    const missing = await api.request<Problem>('POST', path, { token: inspector, body: {} });
    const withdrawn = await api.request<StoredException>('POST', path, { token: inspector, headers: { 'if-match': '"1"' }, body: { reason: '气温回升' } });
    const twice = await api.request<Problem>('POST', path, { token: inspector, headers: { 'if-match': '"2"' }, body: {} });
    const all = await api.request<{ items: StoredException[] }>('GET', '/v1/schedule-exceptions', { token: inspector });
    const active = await api.request<{ items: StoredException[] }>('GET', '/v1/schedule-exceptions?status=active', { token: inspector });

    expect(missing.status).toBe(428);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.json).toMatchObject({ status: 'withdrawn', version: 2, withdrawReason: '气温回升', withdrawnBy: expect.any(String) });
    expect(twice.status).toBe(409);
    expect(all.json.items).toHaveLength(2);
    expect(active.json.items.map((exception) => exception.exceptionId)).toEqual([suspension.json.exceptionId]);
  });

  it('serves the seeded 2026 calendar, then the tenant own after a PUT (If-Match once stored)', async () => {
    const seeded = await api.request<CalendarView>('GET', '/v1/calendar?year=2026', { token: contractor });
    expect(seeded.status, seeded.text).toBe(200);
    expect(seeded.json).toMatchObject({ year: 2026, source: 'seeded' });
    expect(seeded.json.holidays.map((holiday) => holiday.nameZh)).toContain('春节');

    const { source: _source, year: _year, ...body } = seeded.json;
    const mine = { ...body, name: '静安区2026年节假日安排', holidays: body.holidays.filter((holiday) => holiday.nameZh !== '中秋节') };
    const put = await api.request<StoredCalendar>('PUT', '/v1/calendar/2026', { token: procurement, body: mine });
    const withoutIfMatch = await api.request<Problem>('PUT', '/v1/calendar/2026', { token: procurement, body: mine });
    const stale = await api.request<Problem>('PUT', '/v1/calendar/2026', { token: procurement, headers: { 'if-match': '"7"' }, body: mine });
    const byInspector = await api.request<Problem>('PUT', '/v1/calendar/2026', { token: inspector, headers: { 'if-match': '"1"' }, body: mine });
    const wrongYear = await api.request<Problem>('PUT', '/v1/calendar/2027', { token: procurement, body: mine });
    const read = await api.request<CalendarView>('GET', '/v1/calendar?year=2026', { token: contractor });

    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ year: 2026, version: 1 });
    expect(withoutIfMatch.status).toBe(400);
    expect(stale.status).toBe(412);
    expect(byInspector.status).toBe(403);
    expect(wrongYear.status).toBe(400);
    expect(wrongYear.json.errors?.[0]?.field).toBe('body.holidays.0.from');
    expect(read.json).toMatchObject({ source: 'tenant', name: '静安区2026年节假日安排', version: 1 });
    expect(read.json.holidays.map((holiday) => holiday.nameZh)).not.toContain('中秋节');
  });
});
