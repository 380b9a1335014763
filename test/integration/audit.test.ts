import { PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../domain/audit';
import { addDays, localDate } from '../../domain/dates';
import type { Contractor } from '../../domain/contractors/schema';
import type { Segment } from '../../domain/segments/schema';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { DynamoTenantDirectory } from '../../functions/adapters/dynamodb/task-outcome-store';
import { contractExpiryDeps, createContractExpiryHandler } from '../../functions/events/contract-expiry';
import { createSweepHandler, sweepDeps } from '../../functions/events/missed-task-sweep';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { activeCleaningContract } from '../helpers/cleaning-contract';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * The audit log (issue 8) end to end on the local stack: every state change made through the
 * API or by an event handler appends exactly one entry per record in the same transaction;
 * refused writes append none; finance and admin read them per record and per tenant and time
 * range, their own tenant's only; other roles are refused.
 */

interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

const zone = 'Asia/Shanghai';
const quiet = { info: () => undefined, error: () => undefined };

function segmentBody(index: number): Record<string, unknown> {
  const lon = 121.47 + index * 0.0021;
  return { name: `审计路${index}号段`, street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[lon, 31.2231], [lon + 0.0012, 31.2237]] } };
}

describe('the audit log on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let finance: string;
  let admin: string;
  let otherAdmin: string;
  const started = new Date(Date.now() - 60_000).toISOString();
  const until = (): string => new Date(Date.now() + 60_000).toISOString();

  async function entriesOf(entity: string, entityId: string, token = finance): Promise<AuditEntry[]> {
    const answer = await api.request<Page<AuditEntry>>('GET', `/v1/audit/entities/${entity}/${encodeURIComponent(entityId)}?limit=200`, { token });
    expect(answer.status, answer.text).toBe(200);
    return answer.json.items;
  }

  /** Every entry of the tenant since the suite started, paging with `limit`. */
  async function tenantEntries(token = finance, limit = 200, extra = ''): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ from: started, to: until(), limit: String(limit), ...(cursor === undefined ? {} : { cursor }) });
      const answer = await api.request<Page<AuditEntry>>('GET', `/v1/audit?${query.toString()}${extra}`, { token });
      expect(answer.status, answer.text).toBe(200);
      entries.push(...answer.json.items);
      cursor = answer.json.nextCursor;
    } while (cursor !== undefined);
    return entries;
  }

  beforeAll(async () => {
    localStack();
    tenantId = uniqueTenantId('audit');
    procurement = await tokenFor('procurement', { tenantId, sub: 'user-procurement-1' });
    finance = await tokenFor('finance', { tenantId });
    admin = await tokenFor('admin', { tenantId });
    otherAdmin = await tokenFor('admin', { tenantId: uniqueTenantId('audit-other') });
  });

  it('records a created segment with exactly one entry naming the caller, the operation, the request and the versions', async () => {
    // Act
    const created = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body: segmentBody(1) });

    // Assess
    expect(created.status, created.text).toBe(201);
    const entries = await entriesOf('Segment', created.json.segmentId);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({
      tenantId,
      entity: 'Segment',
      entityId: created.json.segmentId,
      action: 'createSegment',
      actor: { sub: 'user-procurement-1', roles: ['procurement'] },
      requestId: created.headers['x-request-id'],
      beforeVersion: null,
      afterVersion: 1,
      status: 'active',
    });
    expect(entry?.reason).toBeUndefined();
    expect(Date.parse(entry!.at)).toBeGreaterThanOrEqual(Date.parse(started));
    expect(Date.parse(entry!.at)).toBeLessThanOrEqual(Date.now());
  });

  it('records the reason a change was given, and appends nothing for refused writes', async () => {
    // Prepare
    const created = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body: segmentBody(2) });
    expect(created.status).toBe(201);
    const id = created.json.segmentId;
    const contractor = await tokenFor('contractor', { tenantId, contractorId: 'ctr_audit' });

    // Act
    const retired = await api.request<Segment>('POST', `/v1/segments/${id}/retire`, { token: procurement, headers: { 'if-match': '"1"' }, body: { reason: '道路拆除' } });
    const stale = await api.request('POST', `/v1/segments/${id}/retire`, { token: procurement, headers: { 'if-match': '"1"' }, body: { reason: '再次' } });
    const forbidden = await api.request('PATCH', `/v1/segments/${id}`, { token: contractor, headers: { 'if-match': '"2"' }, body: { name: '改名' } });
    const invalid = await api.request('PATCH', `/v1/segments/${id}`, { token: procurement, headers: { 'if-match': '"2"' }, body: { widthM: -3 } });

    // Assess
    expect([retired.status, stale.status, forbidden.status, invalid.status]).toEqual([200, 412, 403, 400]);
    const entries = await entriesOf('Segment', id);
    expect(entries.map((entry) => [entry.action, entry.beforeVersion, entry.afterVersion, entry.status, entry.reason ?? null])).toEqual([
      ['createSegment', null, 1, 'active', null],
      ['retireSegment', 1, 2, 'retired', '道路拆除'],
    ]);
    expect(entries[1]?.requestId).toBe(retired.headers['x-request-id']);
  });

  it('appends nothing when a create conflicts (the code is registered already)', async () => {
    // Prepare
    const body = { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' };
    const first = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body });
    expect(first.status, first.text).toBe(201);

    // Act
    const second = await api.request('POST', '/v1/contractors', { token: procurement, body });

    // Assess
    expect(second.status).toBe(409);
    expect((await entriesOf('Contractor', first.json.contractorId)).map((entry) => entry.action)).toEqual(['registerContractor']);
  });

  it('reads a tenant and time range in time order across pages, filtered by kind and actor', async () => {
    // Prepare: an import writes five segments (one saveMany), five entries.
    const features = [3, 4, 5, 6, 7].map((index) => ({
      type: 'Feature',
      properties: { id: `AUDIT-${index}`, name: `审计导入路${index}`, street: '南京西路街道', grade: '支路', width: 12 },
      geometry: { type: 'LineString', coordinates: [[121.5 + index * 0.002, 31.23], [121.5012 + index * 0.002, 31.2306]] },
    }));
    const imported = await api.request('POST', '/v1/segments/imports', { token: procurement, body: { featureCollection: { type: 'FeatureCollection', features } } });
    expect(imported.status, imported.text).toBe(200);

    // Act
    const whole = await tenantEntries(finance, 200);
    const paged = await tenantEntries(admin, 2);
    const segmentsOnly = await tenantEntries(finance, 200, '&entity=Segment');
    const byUser = await tenantEntries(finance, 200, '&actor=user-procurement-1');

    // Assess
    expect(whole.filter((entry) => entry.action === 'importSegments')).toHaveLength(5);
    expect(paged).toEqual(whole);
    expect(new Set(whole.map((entry) => entry.entryId)).size).toBe(whole.length);
    const keysInOrder = whole.map((entry) => `${entry.at}#${entry.entryId}`);
    expect(keysInOrder).toEqual([...keysInOrder].sort());
    expect(whole.every((entry) => entry.tenantId === tenantId)).toBe(true);
    expect(segmentsOnly.length).toBeGreaterThan(0);
    expect(segmentsOnly.every((entry) => entry.entity === 'Segment')).toBe(true);
    expect(segmentsOnly.length).toBeLessThan(whole.length);
    expect(byUser).toEqual(whole.filter((entry) => 'sub' in entry.actor && entry.actor.sub === 'user-procurement-1'));
  });

  it("never returns another tenant's entries, lets the supervisors read the log and refuses contractors", async () => {
    // Act
    const foreign = await tenantEntries(otherAdmin, 200);
    const mine = await tenantEntries(admin, 200);
    const someSegment = mine.find((entry) => entry.entity === 'Segment')!;
    const foreignByEntity = await entriesOf('Segment', someSegment.entityId, otherAdmin);
    const answered = await Promise.all(
      (['procurement', 'contractor', 'inspector'] as const).map(async (role) => {
        const token = await tokenFor(role, { tenantId, ...(role === 'contractor' ? { contractorId: 'ctr_audit' } : {}) });
        return [
          (await api.request('GET', `/v1/audit?from=${encodeURIComponent(started)}&to=${encodeURIComponent(until())}`, { token })).status,
          (await api.request('GET', `/v1/audit/entities/Segment/${someSegment.entityId}`, { token })).status,
        ];
      }),
    );

    // Assess
    expect(mine.length).toBeGreaterThan(0);
    expect(foreign).toEqual([]);
    expect(foreignByEntity).toEqual([]);
    // Issue 15: procurement and inspectors supervise, and read the (append-only) log.
    expect(answered).toEqual([
      [200, 200],
      [403, 403],
      [200, 200],
    ]);
  });

  it('refuses a range over 31 days, an empty range and a cursor of another list with 400s naming the field', async () => {
    // Act
    const long = await api.request<{ errors: { field: string }[] }>('GET', '/v1/audit?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', { token: finance });
    const backwards = await api.request<{ errors: { field: string }[] }>('GET', '/v1/audit?from=2026-03-01T00:00:00Z&to=2026-01-01T00:00:00Z', { token: finance });
    const foreignCursor = Buffer.from(JSON.stringify({ pk: 'AUDIT#x#Segment#s', sk: 'a', gsi1pk: 'AUDIT#x#2026-01-01', gsi1sk: 'a' })).toString('base64url');
    const cursor = await api.request<{ errors: { field: string }[] }>('GET', `/v1/audit?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&cursor=${foreignCursor}`, { token: finance });

    // Assess
    expect([long.status, backwards.status, cursor.status]).toEqual([400, 400, 400]);
    expect(long.json.errors.map((error) => error.field)).toEqual(['query.to']);
    expect(backwards.json.errors.map((error) => error.field)).toEqual(['query.to']);
    expect(cursor.json.errors.map((error) => error.field)).toEqual(['query.cursor']);
  });

  it('attributes the event handlers\' writes to their functions, and no write of the API or of a handler is unattributed', async () => {
    // Prepare: a registered tenant of its own with an active contract from today.
    const document = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
    const district = uniqueTenantId('audit-events');
    const table = localStack().tables.main;
    await document.send(new PutCommand({ TableName: table, Item: { ...keys.tenant(district), entity: entityTypes.tenant, tenantId: district, name: '审计区', zone, createdAt: new Date().toISOString() } }));
    await new DynamoTenantDirectory(document, table).register(district);
    const today = localDate(new Date(), zone);
    const fixture = await activeCleaningContract(district, '审计事件路', today);
    const districtFinance = await tokenFor('finance', { tenantId: district });
    const from = new Date(Date.now() - 10 * 60_000).toISOString();

    // Act: the sweep two days on (today's and tomorrow's windows have closed), expiry after the end date.
    const swept = await createSweepHandler(() => ({ ...sweepDeps(), clock: { now: () => new Date(Date.now() + 2 * 86_400_000) } }), quiet)({ tenants: [district] });
    const expired = await createContractExpiryHandler(() => ({ ...contractExpiryDeps(), clock: { now: () => new Date(`${addDays(today, 400)}T12:00:00+08:00`) } }), quiet)({ tenants: [district] });

    // Assess
    expect(swept.recorded).toBeGreaterThan(0);
    expect(expired.expired).toBe(1);
    const entries: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ from, to: until(), limit: '200', ...(cursor === undefined ? {} : { cursor }) });
      const answer = await api.request<Page<AuditEntry>>('GET', `/v1/audit?${query.toString()}`, { token: districtFinance });
      expect(answer.status, answer.text).toBe(200);
      entries.push(...answer.json.items);
      cursor = answer.json.nextCursor;
    } while (cursor !== undefined);
    const misses = entries.filter((entry) => entry.entity === 'TaskOutcome');
    expect(misses).toHaveLength(swept.recorded);
    expect(misses.every((entry) => 'system' in entry.actor && entry.actor.system === 'missed-task-sweep' && entry.action === 'missedTaskSweep' && entry.status === 'missed')).toBe(true);
    const contractEntries = entries.filter((entry) => entry.entity === 'Contract' && entry.entityId === fixture.contract.contractId);
    expect(contractEntries.map((entry) => [entry.action, entry.status, 'system' in entry.actor ? entry.actor.system : entry.actor.sub])).toEqual([
      ['createContract', 'draft', 'dev-procurement'],
      ['activateContract', 'active', 'dev-procurement'],
      ['contractExpiry', 'expired', 'contract-expiry'],
    ]);
    expect(entries.filter((entry) => 'system' in entry.actor && entry.actor.system === 'unattributed')).toEqual([]);
    expect((await tenantEntries(finance)).filter((entry) => 'system' in entry.actor && entry.actor.system === 'unattributed')).toEqual([]);
  });
});
