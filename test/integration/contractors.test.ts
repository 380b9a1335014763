import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Contractor } from '../../domain/contractors/schema';
import { usccCheckCharacter } from '../../domain/contractors/uscc';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';

/**
 * The contractor registry end to end on the local stack: adapter → API Gateway v2 event →
 * contractors Lambda → DynamoDB Local. Contractor ids derive from (tenant, code), so every
 * describe works in a tenant of its own and may reuse the same codes.
 */

interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

/** Valid codes (GB 32100-2015 check characters computed by domain/contractors/uscc.ts). */
const codes = {
  fuzhou: '91350100M000100Y43',
  jingan: '91310106MA1FY0AB17',
  putuo: '91310106MA1FY0AB2A',
  minhang: '91310106MA1FY0AC3E',
  pudong: '91310000132206287K',
  xuhui: '91310106MA1FY1XY7G',
} as const;

/** A valid code from its first 17 characters. */
const codeFrom = (first17: string): string => first17 + usccCheckCharacter(first17);

const lvjie = { code: codes.fuzhou, name: '福州市绿洁环境服务有限公司', contactPhone: '0591-87654321', legalRepresentative: '林某某' };
const jingjie = { code: codes.jingan, name: '上海静洁市容环境服务有限公司', nameEn: 'Shanghai Jingjie Environmental Services', contactPhone: '13812345678' };

const fieldsOf = (problem: Problem): string[] => problem.errors?.map((error) => error.field) ?? [];

describe('contractors on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let finance: string;

  beforeAll(async () => {
    tenantId = uniqueTenantId('contractors');
    procurement = await tokenFor('procurement', { tenantId });
    finance = await tokenFor('finance', { tenantId });
  });

  it('registers two contractors and refuses a third whose check character is wrong, naming body.code', async () => {
    const first = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: lvjie });
    const second = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: jingjie });
    const refused = await api.request<Problem>('POST', '/v1/contractors', {
      token: procurement,
      body: { code: '91310106MA1FY0AB2B', name: '上海普陀某某环境服务有限公司' },
    });

    expect(first.status).toBe(201);
    expect(first.headers['etag']).toBe('"1"');
    expect(first.json).toMatchObject({ code: codes.fuzhou, status: 'active', listing: { status: 'none' }, version: 1 });
    expect(first.json.contractorId).toMatch(/^ctr_[0-9a-z]{16}$/);
    expect(second.status).toBe(201);
    expect(second.json.contractorId).not.toBe(first.json.contractorId);
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.json.errors).toEqual([{ field: 'body.code', message: "check character should be 'A' but is 'B'" }]);
    const read = await api.request<Contractor>('GET', `/v1/contractors/${first.json.contractorId}`, { token: finance });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(first.json);
  });

  it('says why a code is wrong: its length, or the character at a position', async () => {
    const short = await api.request<Problem>('POST', '/v1/contractors', { token: procurement, body: { code: '9131010', name: '短码公司' } });
    const letterO = await api.request<Problem>('POST', '/v1/contractors', { token: procurement, body: { code: '91310106MA1FYOAB17', name: '字母O公司' } });

    expect(short.status).toBe(400);
    expect(short.json.errors).toEqual([{ field: 'body.code', message: '18 characters expected, got 7' }]);
    expect(letterO.status).toBe(400);
    expect(fieldsOf(letterO.json)).toEqual(['body.code']);
    expect(letterO.json.errors?.[0]?.message).toContain("character 'O' at position 14 is not allowed");
  });

  it('refuses a second registration of a code with 409, even typed in full-width lower case', async () => {
    const first = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: codes.putuo, name: '上海普陀环卫有限公司' } });
    const again = await api.request<Problem>('POST', '/v1/contractors', { token: procurement, body: { code: codes.putuo, name: '另一个名字' } });
    const fullWidth = codes.putuo.toLowerCase().replace(/[0-9a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const typed = await api.request<Problem>('POST', '/v1/contractors', { token: procurement, body: { code: ` ${fullWidth} `, name: '全角输入' } });

    expect(first.status).toBe(201);
    expect(again.status).toBe(409);
    expect(again.json.detail).toContain(first.json.contractorId);
    expect(typed.status).toBe(409);
    const read = await api.request<Contractor>('GET', `/v1/contractors/${first.json.contractorId}`, { token: procurement });
    expect(read.json.name).toBe('上海普陀环卫有限公司');
  });

  it('answers a replayed registration (same Idempotency-Key) with the first answer and registers once', async () => {
    const key = randomUUID();
    const body = { code: codes.minhang, name: '上海闵行幂等测试环境有限公司' };
    const first = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body, headers: { 'idempotency-key': key } });
    const replay = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body, headers: { 'idempotency-key': key } });
    const withoutKey = await api.request<Problem>('POST', '/v1/contractors', { token: procurement, body });

    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json).toEqual(first.json);
    expect(withoutKey.status).toBe(409);
    const found = await api.request<Page<Contractor>>('GET', `/v1/contractors?q=${codes.minhang}`, { token: procurement });
    expect(found.json.items.map((contractor) => contractor.contractorId)).toEqual([first.json.contractorId]);
  });

  it('refuses registration by roles other than procurement and admin with 403', async () => {
    const inspector = await tokenFor('inspector', { tenantId });
    const refused = await api.request<Problem>('POST', '/v1/contractors', { token: inspector, body: { code: codes.xuhui, name: '徐汇某公司' } });
    const admin = await tokenFor('admin', { tenantId });
    const byAdmin = await api.request<Contractor>('POST', '/v1/contractors', { token: admin, body: { code: codes.xuhui, name: '上海徐汇绿化养护有限公司' } });

    expect(refused.status).toBe(403);
    expect(byAdmin.status).toBe(201);
  });

  it('answers 404 for a contractor that does not exist and 400 for a malformed id', async () => {
    const missing = await api.request<Problem>('GET', '/v1/contractors/ctr_aaaaaaaaaaaaaaaa', { token: procurement });
    const malformed = await api.request<Problem>('GET', '/v1/contractors/seg_aaaaaaaaaaaaaaaa', { token: procurement });

    expect(missing.status).toBe(404);
    expect(malformed.status).toBe(400);
    expect(fieldsOf(malformed.json)).toEqual(['params.contractorId']);
  });
});

describe('searching and paging contractors', () => {
  let tenantId: string;
  let procurement: string;
  const registered: Contractor[] = [];
  const names = [
    '上海静洁市容环境服务有限公司',
    '上海普陀环卫有限公司',
    '福州市绿洁环境服务有限公司',
    '上海闵行市政养护工程有限公司',
    '上海徐汇绿化养护有限公司',
    '上海浦东环境卫生发展有限公司',
  ];

  beforeAll(async () => {
    tenantId = uniqueTenantId('ctr-search');
    procurement = await tokenFor('procurement', { tenantId });
    const bodies = Object.values(codes).map((code, index) => ({ code, name: names[index] ?? '', ...(index === 0 ? { nameEn: 'Shanghai Jingjie Environmental' } : {}) }));
    for (const body of bodies) {
      const created = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body });
      expect(created.status).toBe(201);
      registered.push(created.json);
    }
  });

  it('finds contractors by a part of the name, Chinese or English in any case', async () => {
    const byChinese = await api.request<Page<Contractor>>('GET', `/v1/contractors?q=${encodeURIComponent('环卫')}`, { token: procurement });
    const byEnglish = await api.request<Page<Contractor>>('GET', '/v1/contractors?q=JINGJIE', { token: procurement });

    expect(byChinese.status).toBe(200);
    expect(byChinese.json.items.map((contractor) => contractor.name)).toEqual(['上海普陀环卫有限公司']);
    expect(byEnglish.json.items.map((contractor) => contractor.name)).toEqual(['上海静洁市容环境服务有限公司']);
  });

  it('finds contractors by the start of the code, not by a middle part', async () => {
    const shanghai = await api.request<Page<Contractor>>('GET', '/v1/contractors?q=91310', { token: procurement });
    const xuhui = await api.request<Page<Contractor>>('GET', '/v1/contractors?q=91310106ma1fy1', { token: procurement });
    const middle = await api.request<Page<Contractor>>('GET', '/v1/contractors?q=MA1FY1', { token: procurement });

    expect(shanghai.json.items).toHaveLength(5);
    expect(shanghai.json.items.every((contractor) => contractor.code.startsWith('91310'))).toBe(true);
    expect(xuhui.json.items.map((contractor) => contractor.code)).toEqual([codes.xuhui]);
    expect(middle.json.items).toEqual([]);
  });

  it('pages through every contractor in name order, each once', async () => {
    const seen: Contractor[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page: { status: number; json: Page<Contractor> } = await api.request<Page<Contractor>>(
        'GET',
        `/v1/contractors?limit=4${cursor === undefined ? '' : `&cursor=${cursor}`}`,
        { token: procurement },
      );
      expect(page.status).toBe(200);
      seen.push(...page.json.items);
      cursor = page.json.nextCursor;
      pages += 1;
    } while (cursor !== undefined && pages < 10);

    expect(pages).toBe(2);
    expect(seen.map((contractor) => contractor.contractorId).sort()).toEqual(registered.map((contractor) => contractor.contractorId).sort());
    expect(seen.map((contractor) => contractor.name)).toEqual([...names].sort((a, b) => a.localeCompare(b, 'zh')));
  });

  it('pages through a search with its own cursor', async () => {
    const first = await api.request<Page<Contractor>>('GET', '/v1/contractors?q=91310&limit=3', { token: procurement });
    const second = await api.request<Page<Contractor>>('GET', `/v1/contractors?q=91310&limit=3&cursor=${first.json.nextCursor ?? ''}`, { token: procurement });

    expect(first.json.items).toHaveLength(3);
    expect(first.json.nextCursor).toBeDefined();
    expect(second.json.items).toHaveLength(2);
    expect(second.json.nextCursor).toBeUndefined();
  });

  it("refuses another tenant's cursor with 400 naming query.cursor", async () => {
    const first = await api.request<Page<Contractor>>('GET', '/v1/contractors?limit=2', { token: procurement });
    const other = await tokenFor('procurement', { tenantId: uniqueTenantId('ctr-other') });
    const refused = await api.request<Problem>('GET', `/v1/contractors?limit=2&cursor=${first.json.nextCursor ?? ''}`, { token: other });

    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.json)).toEqual(['query.cursor']);
  });

  it('refuses an unknown status filter with 400 naming query.status', async () => {
    const refused = await api.request<Problem>('GET', '/v1/contractors?status=bankrupt', { token: procurement });

    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.json)).toEqual(['query.status']);
  });
});

describe('changing, suspending and listing a contractor', () => {
  let tenantId: string;
  let procurement: string;

  beforeAll(async () => {
    tenantId = uniqueTenantId('ctr-changes');
    procurement = await tokenFor('procurement', { tenantId });
  });

  async function register(code: string, name: string): Promise<Contractor> {
    const created = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code, name } });
    expect(created.status).toBe(201);
    return created.json;
  }

  it('changes details with the current If-Match, refuses a stale one with 412 and a missing one with 428', async () => {
    const contractor = await register(codes.fuzhou, '福州市绿洁环境服务有限公司');
    const path = `/v1/contractors/${contractor.contractorId}`;

    const changed = await api.request<Contractor>('PATCH', path, { token: procurement, body: { contactPhone: '0591-88886666' }, headers: { 'if-match': '"1"' } });
    const stale = await api.request<Problem>('PATCH', path, { token: procurement, body: { contactName: '陈某' }, headers: { 'if-match': '"1"' } });
    const missing = await api.request<Problem>('PATCH', path, { token: procurement, body: { contactName: '陈某' } });

    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).toBe('"2"');
    expect(changed.json).toMatchObject({ version: 2, contactPhone: '0591-88886666', code: codes.fuzhou });
    expect(stale.status).toBe(412);
    expect(stale.json.detail).toContain('version 2');
    expect(missing.status).toBe(428);
  });

  it('refuses a change of the code and a bad phone number with 400 naming each field', async () => {
    const contractor = await register(codes.jingan, '上海静洁市容环境服务有限公司');

    const refused = await api.request<Problem>('PATCH', `/v1/contractors/${contractor.contractorId}`, {
      token: procurement,
      body: { code: codes.putuo, contactPhone: '1381234567' },
      headers: { 'if-match': '"1"' },
    });

    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.json).sort()).toEqual(['body', 'body.contactPhone']);
    expect(refused.json.errors?.find((error) => error.field === 'body')?.message).toContain('cannot change');
  });

  it('suspends a contractor once: a second suspension is a 409 naming the state', async () => {
    const contractor = await register(codes.putuo, '上海普陀环卫有限公司');
    const path = `/v1/contractors/${contractor.contractorId}/suspend`;

    const suspended = await api.request<Contractor>('POST', path, { token: procurement, body: { reason: '安全生产事故停业整顿' }, headers: { 'if-match': '"1"' } });
    const again = await api.request<Problem>('POST', path, { token: procurement, body: { reason: '再次暂停' }, headers: { 'if-match': '"2"' } });

    expect(suspended.status).toBe(200);
    expect(suspended.json).toMatchObject({ status: 'suspended', suspendedReason: '安全生产事故停业整顿', version: 2 });
    expect(suspended.json.suspendedAt).toBeDefined();
    expect(again.status).toBe(409);
    expect(again.json.detail).toContain('suspended since');
    const onlySuspended = await api.request<Page<Contractor>>('GET', '/v1/contractors?status=suspended', { token: procurement });
    expect(onlySuspended.json.items.map((item) => item.contractorId)).toEqual([contractor.contractorId]);
  });

  it('reinstates a suspended contractor with a reason, and refuses to reinstate an active one with 409', async () => {
    const contractor = await register(codes.minhang, '上海闵行市政养护工程有限公司');
    const base = `/v1/contractors/${contractor.contractorId}`;
    const notSuspended = await api.request<Problem>('POST', `${base}/reinstate`, { token: procurement, body: { reason: '整改验收合格' }, headers: { 'if-match': '"1"' } });
    await api.request('POST', `${base}/suspend`, { token: procurement, body: { reason: '停业整顿' }, headers: { 'if-match': '"1"' } });

    const reinstated = await api.request<Contractor>('POST', `${base}/reinstate`, { token: procurement, body: { reason: '整改验收合格' }, headers: { 'if-match': '"2"' } });

    expect(notSuspended.status).toBe(409);
    expect(reinstated.status).toBe(200);
    expect(reinstated.json).toMatchObject({ status: 'active', reinstatedReason: '整改验收合格', version: 3 });
    expect(reinstated.json.suspendedAt).toBeUndefined();
  });

  it('records a black listing with its reason, date and source, and finds it by listing', async () => {
    const contractor = await register(codes.pudong, '上海浦东环境卫生发展有限公司');
    const path = `/v1/contractors/${contractor.contractorId}/listing`;

    const listed = await api.request<Contractor>('PUT', path, {
      token: procurement,
      body: { status: 'black', reason: '连续三个月考核低于60分', since: '2025-04-01', source: '2025年第一季度考核排名' },
      headers: { 'if-match': '"1"' },
    });
    const read = await api.request<Contractor>('GET', `/v1/contractors/${contractor.contractorId}`, { token: procurement });
    const blackList = await api.request<Page<Contractor>>('GET', '/v1/contractors?listing=black', { token: procurement });

    expect(listed.status).toBe(200);
    expect(read.json.listing).toEqual({ status: 'black', reason: '连续三个月考核低于60分', since: '2025-04-01', source: '2025年第一季度考核排名' });
    expect(read.json.version).toBe(2);
    expect(blackList.json.items.map((item) => item.contractorId)).toEqual([contractor.contractorId]);
  });

  it('refuses a red listing without a reason, or with a bad date, naming the field', async () => {
    const contractor = await register(codes.xuhui, '上海徐汇绿化养护有限公司');
    const path = `/v1/contractors/${contractor.contractorId}/listing`;

    const noReason = await api.request<Problem>('PUT', path, { token: procurement, body: { status: 'red', since: '2025-04-01' }, headers: { 'if-match': '"1"' } });
    const badDate = await api.request<Problem>('PUT', path, { token: procurement, body: { status: 'red', reason: '季度考核第一名', since: '2025-13-01' }, headers: { 'if-match': '"1"' } });
    const listed = await api.request<Contractor>('PUT', path, { token: procurement, body: { status: 'red', reason: '季度考核第一名', since: '2025-04-01' }, headers: { 'if-match': '"1"' } });

    expect(noReason.status).toBe(400);
    expect(noReason.json.errors).toEqual([{ field: 'body.reason', message: 'a red or black listing needs a reason' }]);
    expect(badDate.status).toBe(400);
    expect(fieldsOf(badDate.json)).toEqual(['body.since']);
    expect(listed.status).toBe(200);
    expect(listed.json.listing.source).toMatch(/^set by /);
  });

  it('keeps every version, newest first: registration, change, suspension, reinstatement, listing', async () => {
    const contractor = await register(codeFrom('91310115MA1HB3CD0'), '上海浦东新区某某绿化有限公司');
    const base = `/v1/contractors/${contractor.contractorId}`;
    const steps = [
      await api.request('PATCH', base, { token: procurement, body: { address: '上海市浦东新区世纪大道100号' }, headers: { 'if-match': '"1"' } }),
      await api.request('POST', `${base}/suspend`, { token: procurement, body: { reason: '停业整顿' }, headers: { 'if-match': '"2"' } }),
      await api.request('POST', `${base}/reinstate`, { token: procurement, body: { reason: '整改验收合格' }, headers: { 'if-match': '"3"' } }),
      await api.request('PUT', `${base}/listing`, { token: procurement, body: { status: 'red', reason: '季度第一', since: '2025-07-01' }, headers: { 'if-match': '"4"' } }),
    ];
    expect(steps.map((step) => step.status)).toEqual([200, 200, 200, 200]);

    const first = await api.request<Page<Contractor>>('GET', `${base}/history?limit=3`, { token: procurement });
    const rest = await api.request<Page<Contractor>>('GET', `${base}/history?limit=3&cursor=${first.json.nextCursor ?? ''}`, { token: procurement });

    expect(first.status).toBe(200);
    expect([...first.json.items, ...rest.json.items].map((version) => version.version)).toEqual([5, 4, 3, 2, 1]);
    expect(first.json.items.map((version) => version.status)).toEqual(['active', 'active', 'suspended']);
    expect(first.json.items[2]?.suspendedReason).toBe('停业整顿');
    expect(first.json.items[0]?.listing).toMatchObject({ status: 'red', reason: '季度第一', since: '2025-07-01' });
    expect(rest.json.items[1]?.address).toBeUndefined();
    expect(rest.json.nextCursor).toBeUndefined();
  });
});

describe('a contractor user', () => {
  let tenantId: string;
  let procurement: string;
  let own: Contractor;
  let other: Contractor;
  let contractorUser: string;

  beforeAll(async () => {
    tenantId = uniqueTenantId('ctr-self');
    procurement = await tokenFor('procurement', { tenantId });
    own = (await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: lvjie })).json;
    other = (await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: jingjie })).json;
    contractorUser = await tokenFor('contractor', { tenantId, contractorId: own.contractorId });
  });

  it('reads its own record and its history', async () => {
    const read = await api.request<Contractor>('GET', `/v1/contractors/${own.contractorId}`, { token: contractorUser });
    const history = await api.request<Page<Contractor>>('GET', `/v1/contractors/${own.contractorId}/history`, { token: contractorUser });

    expect(read.status).toBe(200);
    expect(read.json).toEqual(own);
    expect(history.status).toBe(200);
    expect(history.json.items).toHaveLength(1);
  });

  it("is refused another contractor's record and history with 403 (the policy's answer)", async () => {
    const read = await api.request<Problem>('GET', `/v1/contractors/${other.contractorId}`, { token: contractorUser });
    const history = await api.request<Problem>('GET', `/v1/contractors/${other.contractorId}/history`, { token: contractorUser });

    expect(read.status).toBe(403);
    expect(history.status).toBe(403);
  });

  it('lists only itself, whatever it searches for', async () => {
    const all = await api.request<Page<Contractor>>('GET', '/v1/contractors', { token: contractorUser });
    const searchingOther = await api.request<Page<Contractor>>('GET', `/v1/contractors?q=${codes.jingan}`, { token: contractorUser });
    const everyone = await api.request<Page<Contractor>>('GET', '/v1/contractors', { token: procurement });

    expect(all.status).toBe(200);
    expect(all.json.items.map((contractor) => contractor.contractorId)).toEqual([own.contractorId]);
    expect(searchingOther.json.items).toEqual([]);
    expect(everyone.json.items).toHaveLength(2);
  });

  it('may not change its own record', async () => {
    const refused = await api.request<Problem>('PATCH', `/v1/contractors/${own.contractorId}`, {
      token: contractorUser,
      body: { contactPhone: '13900001111' },
      headers: { 'if-match': '"1"' },
    });

    expect(refused.status).toBe(403);
  });

  it('sees nothing of another tenant: the same code there is another contractor', async () => {
    const elsewhere = await tokenFor('procurement', { tenantId: uniqueTenantId('ctr-elsewhere') });
    const there = await api.request<Contractor>('POST', '/v1/contractors', { token: elsewhere, body: lvjie });
    const crossRead = await api.request<Problem>('GET', `/v1/contractors/${own.contractorId}`, { token: elsewhere });

    expect(there.status).toBe(201);
    expect(there.json.contractorId).not.toBe(own.contractorId);
    expect(crossRead.status).toBe(404);
  });
});
