import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Contractor } from '../../domain/contractors/schema';
import type { ScopeConflict } from '../../domain/contracts/overlap';
import type { Contract, ContractTerms, TermsPart } from '../../domain/contracts/schema';
import { addDays, localDate } from '../../domain/dates';
import type { Segment } from '../../domain/segments/schema';
import type { Problem } from '../../functions/shared/schemas';
import { paddedRulebook } from '../fixtures/large-rulebook';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';

/**
 * Contracts end to end on the local stack: adapter → API Gateway v2 event → contracts Lambda
 * → DynamoDB Local, with contractors and segments created through their own routes in a
 * tenant of this file's own. Dates are relative to today (Shanghai) so that activations and
 * amendments are never back-dated: contracts run from the 1st of next month.
 */

interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

type ContractAsOf = Contract & { readonly asOf: string; readonly terms: ContractTerms | null };

interface VersionEntry {
  readonly termsVersion: number;
  readonly effectiveFrom: string;
  readonly inForce?: { readonly from: string; readonly to: string };
  readonly amendment?: { readonly reason: string; readonly approvedBy: string; readonly changes: TermsPart[] };
  readonly changes: TermsPart[];
  readonly diff?: { readonly scope: { readonly added: string[]; readonly removed: string[] }; readonly pricing: { readonly changed: boolean } };
  readonly terms: ContractTerms;
}

type ConflictProblem = Problem & { readonly conflicts?: ScopeConflict[] };

const today = localDate(new Date(), 'Asia/Shanghai');
const nextMonth = addDays(`${today.slice(0, 7)}-28`, 7).slice(0, 7);
/** The 1st, 10th, 15th, 16th and 20th of next month; the contract year ends a year later. */
const day = (dd: number): string => `${nextMonth}-${String(dd).padStart(2, '0')}`;
const start = day(1);
const end = addDays(`${String(Number(nextMonth.slice(0, 4)) + 1)}${nextMonth.slice(4)}-01`, -1);

/** Valid unified social credit codes (GB 32100-2015 check characters). */
const codes = { huanjie: '91310106MA1FY0AB17', lvyuan: '91310106MA1FY0AB2A' } as const;

let segmentCounter = 0;

describe('contracts on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let finance: string;
  let huanjie: string;
  let lvyuan: string;

  /** A new segment of this tenant, a little further east each time. */
  async function newSegment(): Promise<string> {
    segmentCounter += 1;
    const lon = 121.44 + segmentCounter * 0.003;
    const created = await api.request<Segment>('POST', '/v1/segments', {
      token: procurement,
      body: {
        name: `测试路${segmentCounter}号段`,
        street: '南京西路街道',
        grade: 'branch',
        flags: [],
        widthM: 12,
        geometry: { type: 'LineString', coordinates: [[lon, 31.2231], [lon + 0.0012, 31.2237]] },
      },
    });
    expect(created.status).toBe(201);
    return created.json.segmentId;
  }

  async function newSegments(count: number): Promise<string[]> {
    return Promise.all(Array.from({ length: count }, () => newSegment()));
  }

  /** A direct lump-sum cleaning contract with the shipped cleaning rulebook. */
  function contractBody(scope: readonly string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      contractorId: huanjie,
      serviceType: 'cleaning',
      title: '静安区南京西路街道道路保洁服务合同',
      startDate: start,
      endDate: end,
      performanceBondFen: 5_000_000,
      scope,
      pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
      rulebookTemplateId: 'cleaning-standard',
      ...overrides,
    };
  }

  async function create(body: Record<string, unknown>): Promise<Contract> {
    const created = await api.request<Contract>('POST', '/v1/contracts', { token: procurement, body });
    expect(created.status, created.text).toBe(201);
    return created.json;
  }

  function change<T = Contract>(contract: Pick<Contract, 'contractId'>, action: string, version: number, body?: unknown, token = procurement) {
    return api.request<T>('POST', `/v1/contracts/${contract.contractId}/${action}`, {
      token,
      headers: { 'if-match': `"${version}"` },
      ...(body === undefined ? {} : { body }),
    });
  }

  async function active(body: Record<string, unknown>): Promise<Contract> {
    const draft = await create(body);
    const activated = await change(draft, 'activate', draft.version);
    expect(activated.status, activated.text).toBe(200);
    return activated.json;
  }

  beforeAll(async () => {
    tenantId = uniqueTenantId('contracts');
    procurement = await tokenFor('procurement', { tenantId });
    finance = await tokenFor('finance', { tenantId });
    const registered = await Promise.all(
      [
        { code: codes.huanjie, name: '上海环杰环境服务有限公司' },
        { code: codes.lvyuan, name: '上海绿源市政工程有限公司' },
      ].map((body) => api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body })),
    );
    expect(registered.map((answer) => answer.status)).toEqual([201, 201]);
    [huanjie, lvyuan] = registered.map((answer) => answer.json.contractorId) as [string, string];
  });

  it('creates a draft from the cleaning template with ETag, and replays it for a repeated Idempotency-Key', async () => {
    const scope = await newSegments(2);
    const key = randomUUID();
    const body = contractBody(scope);

    const first = await api.request<Contract>('POST', '/v1/contracts', { token: procurement, body, headers: { 'idempotency-key': key } });
    const again = await api.request<Contract>('POST', '/v1/contracts', { token: procurement, body, headers: { 'idempotency-key': key } });

    expect(first.status).toBe(201);
    expect(first.headers['etag']).toBe('"1"');
    expect(first.json).toMatchObject({ status: 'draft', serviceType: 'cleaning', origin: { kind: 'direct' }, startDate: start, endDate: end, version: 1 });
    expect(first.json.contractId).toMatch(/^con_[0-9a-z]{26}$/);
    expect(first.json.versions).toHaveLength(1);
    expect(first.json.versions[0]?.scope).toEqual([...scope].sort());
    expect(first.json.versions[0]?.rulebook.basedOn).toMatchObject({ templateId: 'cleaning-standard' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
    const listed = await api.request<Page<Contract>>('GET', `/v1/contracts?contractorId=${huanjie}&limit=200`, { token: finance });
    expect(listed.json.items.filter((contract) => contract.contractId === first.json.contractId)).toHaveLength(1);
  });

  it('refuses an unknown contractor, an unknown segment and a template of another service type, naming the fields', async () => {
    const [segment] = await newSegments(1);

    const refused = await Promise.all([
      api.request<Problem>('POST', '/v1/contracts', { token: procurement, body: contractBody([segment!], { contractorId: 'ctr_aaaaaaaaaaaaaaaa' }) }),
      api.request<Problem>('POST', '/v1/contracts', { token: procurement, body: contractBody([segment!, 'seg_00000000000000000000000000']) }),
      api.request<Problem>('POST', '/v1/contracts', { token: procurement, body: contractBody([segment!], { rulebookTemplateId: 'greening-class1' }) }),
    ]);

    expect(refused.map((answer) => answer.status)).toEqual([400, 400, 400]);
    expect(refused.map((answer) => answer.json.errors?.map((error) => error.field))).toEqual([['body.contractorId'], ['body.scope'], ['body.rulebookTemplateId']]);
  });

  it('activates a draft, and refuses an overlapping contract of the same service type with 409 naming segment, contract and dates', async () => {
    const [a, b, c] = await newSegments(3);
    const holder = await active(contractBody([a!, b!]));
    const rival = await create(contractBody([b!, c!], { contractorId: lvyuan, startDate: day(10) }));

    const refused = await change<ConflictProblem>(rival, 'activate', rival.version);

    expect(holder).toMatchObject({ status: 'active', version: 2 });
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.json.detail).toContain(`segment ${b} is already in scope of contract ${holder.contractId} from ${day(10)} to ${end}`);
    expect(refused.json.conflicts).toEqual([{ segmentId: b, otherContractId: holder.contractId, overlapFrom: day(10), overlapTo: end }]);
    const unchanged = await api.request<Contract>('GET', `/v1/contracts/${rival.contractId}`, { token: procurement });
    expect(unchanged.json.status).toBe('draft');
  });

  it('words an overlap in Chinese for a zh-CN caller, with the same segment, contract and dates', async () => {
    const [a, b] = await newSegments(2);
    const holder = await active(contractBody([a!, b!]));
    const rival = await create(contractBody([b!], { contractorId: lvyuan, startDate: day(10) }));

    const refused = await api.request<ConflictProblem>('POST', `/v1/contracts/${rival.contractId}/activate`, { token: procurement, headers: { 'if-match': `"${rival.version}"`, 'accept-language': 'zh-CN' } });

    expect(refused.status).toBe(409);
    expect(refused.json.detail).toBe(`合同 ${rival.contractId} 与同一作业类别的其他合同范围重叠：路段 ${b} 在 ${day(10)} 至 ${end} 已在合同 ${holder.contractId} 的范围内`);
    expect(refused.json.conflicts).toEqual([{ segmentId: b, otherContractId: holder.contractId, overlapFrom: day(10), overlapTo: end }]);
  });

  it('lets a contract of another service type hold the same segments', async () => {
    const scope = await newSegments(2);
    await active(contractBody(scope));

    const greening = await active(contractBody(scope, { serviceType: 'greening', rulebookTemplateId: 'greening-class1', title: '南京西路街道绿化养护合同' }));

    expect(greening.status).toBe('active');
  });

  it('amends the scope from the 16th: as of the 10th the old scope, as of the 20th the new one, and the versions show the change', async () => {
    const [kept, dropped, added] = await newSegments(3);
    const contract = await active(contractBody([kept!, dropped!]));
    const path = `/v1/contracts/${contract.contractId}`;

    const amended = await api.request<Contract>('POST', `${path}/amendments`, {
      token: procurement,
      headers: { 'if-match': `"${contract.version}"` },
      body: { effectiveFrom: day(16), reason: '道路改造,一段移交市政', approvedBy: '静安区绿化和市容管理局 王某', approvedAt: today, scope: [kept, added] },
    });
    const on10th = await api.request<ContractAsOf>('GET', `${path}?asOf=${day(10)}`, { token: finance });
    const on20th = await api.request<ContractAsOf>('GET', `${path}?asOf=${day(20)}`, { token: finance });
    const versions = await api.request<{ contractId: string; items: VersionEntry[] }>('GET', `${path}/versions`, { token: finance });

    expect(amended.status, amended.text).toBe(201);
    expect(amended.headers['etag']).toBe(`"${contract.version + 1}"`);
    expect(on10th.status).toBe(200);
    expect(on10th.headers['etag']).toBe(`"${contract.version + 1}"`);
    expect(on10th.json).toMatchObject({ asOf: day(10), contractId: contract.contractId, terms: { termsVersion: 1, scope: [kept, dropped].sort() } });
    expect(on20th.json).toMatchObject({ asOf: day(20), terms: { termsVersion: 2, scope: [kept, added].sort() } });
    expect(versions.status).toBe(200);
    expect(versions.json.items.map((entry) => [entry.termsVersion, entry.effectiveFrom, entry.inForce, entry.changes])).toEqual([
      [1, start, { from: start, to: day(15) }, []],
      [2, day(16), { from: day(16), to: end }, ['scope']],
    ]);
    expect(versions.json.items[1]?.diff?.scope).toEqual({ added: [added], removed: [dropped] });
    expect(versions.json.items[1]?.amendment).toMatchObject({ reason: '道路改造,一段移交市政', changes: ['scope'] });
  });

  it('lets a segment released by an amendment pass to another contract for the days after, and names both holders of days still taken', async () => {
    const [moving, other] = await newSegments(2);
    const first = await active(contractBody([moving!, other!]));
    await api.request<Contract>('POST', `/v1/contracts/${first.contractId}/amendments`, {
      token: procurement,
      headers: { 'if-match': `"${first.version}"` },
      body: { effectiveFrom: day(16), reason: '路段调整', approvedBy: '王某', approvedAt: today, scope: [other] },
    });

    const successor = await active(contractBody([moving!], { contractorId: lvyuan, startDate: day(16) }));
    const latecomer = await create(contractBody([moving!], { contractorId: lvyuan }));
    const refused = await change<ConflictProblem>(latecomer, 'activate', latecomer.version);

    expect(successor.status).toBe('active');
    expect(refused.status).toBe(409);
    expect(refused.json.conflicts).toEqual(
      [
        { segmentId: moving, otherContractId: first.contractId, overlapFrom: start, overlapTo: day(15) },
        { segmentId: moving, otherContractId: successor.contractId, overlapFrom: day(16), overlapTo: end },
      ].sort((x, y) => (x.otherContractId < y.otherContractId ? -1 : 1)),
    );
  });

  it('refuses to back-date an amendment of an active contract with 422', async () => {
    const contract = await active(contractBody(await newSegments(1)));

    const refused = await api.request<Problem>('POST', `/v1/contracts/${contract.contractId}/amendments`, {
      token: procurement,
      headers: { 'if-match': `"${contract.version}"` },
      body: { effectiveFrom: addDays(today, -1), reason: '补录', approvedBy: '王某', approvedAt: today, pricing: { kind: 'lump_sum', monthlyFen: 39_000_000 } },
    });

    expect(refused.status).toBe(422);
  });

  it('refuses a rulebook amendment effective on the 20th with 422 naming effectiveFrom, and records it from the 1st of the month after', async () => {
    const contract = await active(contractBody(await newSegments(1)));
    const path = `/v1/contracts/${contract.contractId}`;
    const signed = contract.versions[0]!.rulebook;
    const stricter = { ...signed, scoreBands: signed.scoreBands.map((band) => ({ ...band, minScoreX100: band.minScoreX100 === 0 ? 0 : band.minScoreX100 + 100 })) };
    const followingMonth = addDays(`${nextMonth}-28`, 7).slice(0, 7);
    const amend = (effectiveFrom: string, version: number) =>
      api.request<Problem>('POST', `${path}/amendments`, {
        token: procurement,
        headers: { 'if-match': `"${version}"` },
        body: { effectiveFrom, reason: '考核办法修订', approvedBy: '王某', approvedAt: today, rulebook: stricter },
      });

    const midMonth = await amend(day(20), contract.version);
    const fromThe1st = await amend(`${followingMonth}-01`, contract.version);
    const on20th = await api.request<ContractAsOf>('GET', `${path}?asOf=${day(20)}`, { token: finance });

    expect(midMonth.status, midMonth.text).toBe(422);
    expect(midMonth.json.errors?.map((error) => error.field)).toEqual(['effectiveFrom']);
    expect(midMonth.json.errors?.[0]?.message).toContain(`${followingMonth}-01`);
    expect(fromThe1st.status, fromThe1st.text).toBe(201);
    expect(on20th.json.terms?.rulebook.scoreBands).toEqual(signed.scoreBands);
  });

  describe('records larger than a DynamoDB item (400 KB)', () => {
    it('refuses a schema-valid ~640 KB rulebook with 400 naming body.rulebook, for a new contract and an amendment', async () => {
      const huge = { ...paddedRulebook(480), serviceType: 'cleaning' };
      const { rulebookTemplateId: _template, ...withoutTemplate } = contractBody(await newSegments(1));
      const draft = await create(contractBody(await newSegments(1)));

      const created = await api.request<Problem>('POST', '/v1/contracts', { token: procurement, body: { ...withoutTemplate, rulebook: huge } });
      const amended = await api.request<Problem>('POST', `/v1/contracts/${draft.contractId}/amendments`, {
        token: procurement,
        headers: { 'if-match': `"${draft.version}"` },
        body: { effectiveFrom: start, reason: '考核办法修订', approvedBy: '王某', approvedAt: today, rulebook: huge },
      });

      for (const answer of [created, amended]) {
        expect(answer.status, answer.text).toBe(400);
        expect(answer.json.errors?.find((error) => error.message.includes('bytes as JSON'))?.field).toBe('body.rulebook');
      }
    });

    it('keeps a contract with a ~231 KB rulebook through 10 amendments (9 of scope, 1 of the rulebook), every version readable in full', async () => {
      const segments = await newSegments(10);
      const large = paddedRulebook(170);
      const { rulebookTemplateId: _template, ...withoutTemplate } = contractBody(segments.slice(0, 1));
      const created = await api.request<Contract>('POST', '/v1/contracts', { token: procurement, body: { ...withoutTemplate, rulebook: large } });
      expect(created.status, created.text).toBe(201);
      const activated = await change(created.json, 'activate', created.json.version);
      expect(activated.status, activated.text).toBe(200);
      let version = activated.json.version;
      const followingMonth = addDays(`${nextMonth}-28`, 7).slice(0, 7);
      const changed = { ...large, defectItems: large.defectItems.map((item, index) => (index === 0 ? { ...item, pointsX100: item.pointsX100 + 100 } : item)) };

      for (let index = 1; index <= 10; index += 1) {
        const body =
          index < 10
            ? { effectiveFrom: day(index + 1), reason: `第${index}次路段调整`, approvedBy: '王某', approvedAt: today, scope: segments.slice(0, index + 1) }
            : { effectiveFrom: `${followingMonth}-01`, reason: '考核办法修订', approvedBy: '王某', approvedAt: today, rulebook: changed };
        const amended = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/amendments`, {
          token: procurement,
          headers: { 'if-match': `"${version}"` },
          body,
        });
        expect(amended.status, `amendment ${index}: ${amended.text}`).toBe(201);
        version = amended.json.version;
      }
      const read = await api.request<ContractAsOf>('GET', `/v1/contracts/${created.json.contractId}?asOf=${day(10)}`, { token: finance });
      const listed = await api.request<{ items: VersionEntry[] }>('GET', `/v1/contracts/${created.json.contractId}/versions`, { token: finance });

      expect(read.status, read.text).toBe(200);
      expect(read.json.versions).toHaveLength(11);
      expect(read.json.terms?.scope).toEqual(segments.slice(0, 10).sort());
      expect(read.json.terms?.rulebook.defectItems).toHaveLength(large.defectItems.length);
      expect(read.json.versions[10]?.rulebook.defectItems[0]?.pointsX100).toBe(changed.defectItems[0]!.pointsX100);
      expect(listed.status).toBe(200);
      expect(listed.json.items.map((entry) => entry.changes)).toEqual([[], ...Array.from({ length: 9 }, () => ['scope']), ['rulebook']]);
    });
  });

  it('answers 400 naming query.asOf for a date that does not exist', async () => {
    const contract = await create(contractBody(await newSegments(1)));

    const refused = await api.request<Problem>('GET', `/v1/contracts/${contract.contractId}?asOf=2026-02-30`, { token: finance });

    expect(refused.status).toBe(400);
    expect(refused.json.errors?.map((error) => error.field)).toEqual(['query.asOf']);
  });

  it('refuses an illegal transition with 409 listing the allowed ones', async () => {
    const draft = await create(contractBody(await newSegments(1)));

    const refused = await change<Problem>(draft, 'resume', draft.version);

    expect(refused.status).toBe(409);
    expect(refused.json.detail).toContain('it is draft');
    expect(refused.json.detail).toContain('allowed from draft: activate (→ active), terminate (→ terminated)');
  });

  it('refuses a stale If-Match with 412 and a missing one with 428', async () => {
    const draft = await create(contractBody(await newSegments(1)));
    await change(draft, 'activate', draft.version);

    const stale = await change<Problem>(draft, 'suspend', draft.version, { reason: '道路施工' });
    const missing = await api.request<Problem>('POST', `/v1/contracts/${draft.contractId}/suspend`, { token: procurement, body: { reason: '道路施工' } });

    expect(stale.status).toBe(412);
    expect(stale.json.detail).toContain(`version ${draft.version + 1}`);
    expect(missing.status).toBe(428);
  });

  it('suspends with a reason (400 without), keeps the segments held while suspended, resumes and terminates', async () => {
    const scope = await newSegments(1);
    const contract = await active(contractBody(scope));

    const noReason = await change<Problem>(contract, 'suspend', contract.version);
    const suspended = await change(contract, 'suspend', contract.version, { reason: '道路封闭施工' });
    const rival = await create(contractBody(scope, { contractorId: lvyuan }));
    const blocked = await change<ConflictProblem>(rival, 'activate', rival.version);
    const resumed = await change(contract, 'resume', suspended.json.version);
    const terminated = await change(contract, 'terminate', resumed.json.version, { reason: '严重违约,解除合同' });

    expect(noReason.status).toBe(400);
    expect(noReason.json.errors?.map((error) => error.field)).toEqual(['body.reason']);
    expect(suspended.json.status).toBe('suspended');
    expect(blocked.status).toBe(409);
    expect(blocked.json.conflicts?.[0]?.otherContractId).toBe(contract.contractId);
    expect(resumed.json.status).toBe('active');
    expect(terminated.status).toBe(200);
    expect(terminated.json).toMatchObject({ status: 'terminated', endedOn: today });
    expect(terminated.json.statusHistory.map((change) => change.to)).toEqual(['active', 'suspended', 'active', 'terminated']);
  });

  it('lists by status and service type, newest first, page by page', async () => {
    const scope = await newSegments(1);
    const drafts = [await create(contractBody(scope, { serviceType: 'municipal', rulebookTemplateId: 'municipal-roads', title: '市政设施维护合同 1' }))];
    drafts.push(await create(contractBody(scope, { serviceType: 'municipal', rulebookTemplateId: 'municipal-roads', title: '市政设施维护合同 2' })));
    drafts.push(await create(contractBody(scope, { serviceType: 'municipal', rulebookTemplateId: 'municipal-roads', title: '市政设施维护合同 3' })));

    const first = await api.request<Page<Contract>>('GET', '/v1/contracts?serviceType=municipal&status=draft&limit=2', { token: finance });
    const second = await api.request<Page<Contract>>('GET', `/v1/contracts?serviceType=municipal&status=draft&limit=2&cursor=${encodeURIComponent(first.json.nextCursor ?? '')}`, { token: finance });

    expect(first.status).toBe(200);
    expect([...first.json.items, ...second.json.items].map((contract) => contract.contractId)).toEqual(drafts.map((draft) => draft.contractId).reverse());
    expect(second.json.nextCursor).toBeUndefined();
  });

  describe('a contractor user', () => {
    let own: Contract;
    let theirs: Contract;
    let huanjieUser: string;

    beforeAll(async () => {
      own = await create(contractBody(await newSegments(1)));
      theirs = await create(contractBody(await newSegments(1), { contractorId: lvyuan }));
      huanjieUser = await tokenFor('contractor', { tenantId, contractorId: huanjie });
    });

    it('sees only its own contractor\'s contracts in a listing', async () => {
      const listed = await api.request<Page<Contract>>('GET', '/v1/contracts?limit=200', { token: huanjieUser });

      expect(listed.status).toBe(200);
      expect(listed.json.items.map((contract) => contract.contractId)).toContain(own.contractId);
      expect(listed.json.items.every((contract) => contract.contractorId === huanjie)).toBe(true);
    });

    it('reads its own contract and its versions, and is refused another contractor\'s', async () => {
      const mine = await api.request<ContractAsOf>('GET', `/v1/contracts/${own.contractId}`, { token: huanjieUser });
      const other = await api.request<Problem>('GET', `/v1/contracts/${theirs.contractId}`, { token: huanjieUser });
      const otherVersions = await api.request<Problem>('GET', `/v1/contracts/${theirs.contractId}/versions`, { token: huanjieUser });
      const otherListing = await api.request<Problem>('GET', `/v1/contracts?contractorId=${lvyuan}`, { token: huanjieUser });

      expect(mine.status).toBe(200);
      expect(other.status).toBe(403);
      expect(otherVersions.status).toBe(403);
      expect(otherListing.status).toBe(403);
    });

    it('may not change a contract, even its own', async () => {
      const refused = await change<Problem>(own, 'activate', own.version, undefined, huanjieUser);

      expect(refused.status).toBe(403);
    });
  });

  describe('concurrent activations', () => {
    it('of two overlapping contracts: exactly one wins, the other gets 409 naming it (5 rounds)', async () => {
      for (let round = 0; round < 5; round += 1) {
        const scope = await newSegments(2);
        const drafts = await Promise.all([create(contractBody(scope)), create(contractBody([scope[1]!], { contractorId: lvyuan }))]);

        const answers = await Promise.all(drafts.map((draft) => change<Contract | ConflictProblem>(draft, 'activate', draft.version)));

        expect(answers.map((answer) => answer.status).sort(), answers.map((answer) => answer.text).join('\n')).toEqual([200, 409]);
        const winner = drafts[answers.findIndex((answer) => answer.status === 200)]!;
        const loser = answers.find((answer) => answer.status === 409)!.json as ConflictProblem;
        expect(loser.conflicts).toEqual([{ segmentId: scope[1], otherContractId: winner.contractId, overlapFrom: start, overlapTo: end }]);
        const holders = await Promise.all(drafts.map((draft) => api.request<Contract>('GET', `/v1/contracts/${draft.contractId}`, { token: finance })));
        expect(holders.map((holder) => holder.json.status).sort()).toEqual(['active', 'draft']);
      }
    });

    it('of contracts that do not overlap: both succeed (a moved scope version is checked again, not refused)', async () => {
      const drafts = await Promise.all([create(contractBody(await newSegments(1))), create(contractBody(await newSegments(1), { contractorId: lvyuan }))]);

      const answers = await Promise.all(drafts.map((draft) => change(draft, 'activate', draft.version)));

      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    });
  });
});
