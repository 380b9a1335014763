import { describe, expect, it } from 'vitest';
import type { Contract } from '../../../../domain/contracts/schema';
import { ConflictError, ForbiddenError, RuleViolationError, StaleVersionError } from '../../../../domain/errors';
import type { Segment } from '../../../../domain/segments/schema';
import { commitmentOf } from '../../../../domain/spot-checks/draw';
import type { SpotCheckStore } from '../../../../domain/spot-checks/ports';
import type { SpotCheckDraw } from '../../../../domain/spot-checks/schema';
import { commitSpotCheck, getSpotCheck, revealSpotCheck, type SpotCheckDeps } from '../../../../domain/spot-checks/use-cases';
import { segmentFixture } from '../../../helpers/fakes';
import { actors, contractFixture, fixedClock, seg, tenantId } from '../contracts/fixtures';

class MemorySpotCheckStore implements SpotCheckStore {
  readonly records = new Map<string, SpotCheckDraw>();

  async get(tenant: string, month: string, serviceType: string): Promise<SpotCheckDraw | undefined> {
    const found = this.records.get(`${tenant}|${month}|${serviceType}`);
    return found === undefined ? undefined : structuredClone(found);
  }

  async create(draw: SpotCheckDraw): Promise<void> {
    const key = `${draw.tenantId}|${draw.month}|${draw.serviceType}`;
    if (this.records.has(key)) throw new ConflictError('exists');
    this.records.set(key, structuredClone(draw));
  }

  async save(draw: SpotCheckDraw, expectedVersion: number): Promise<void> {
    const key = `${draw.tenantId}|${draw.month}|${draw.serviceType}`;
    const current = this.records.get(key);
    if (current?.version !== expectedVersion) throw new StaleVersionError('spot-check draw', key, expectedVersion, current?.version);
    this.records.set(key, structuredClone(draw));
  }
}

const scope = [seg.nanjingWest, seg.shimenOne, seg.weihai, seg.maomingNorth, seg.wujiang];

function registry(): Map<string, Segment> {
  const flags: Record<string, Segment['flags']> = { [seg.nanjingWest]: ['strict'], [seg.shimenOne]: ['controlled'] };
  const grades: Record<string, Segment['grade']> = { [seg.weihai]: 'alley', [seg.maomingNorth]: 'alley', [seg.wujiang]: 'branch' };
  return new Map(scope.map((id) => [id, segmentFixture({ segmentId: id, tenantId, flags: flags[id] ?? [], grade: grades[id] ?? 'primary' })]));
}

function setup(contracts: Contract[] = [contractFixture({ status: 'active', scope })]) {
  const store = new MemorySpotCheckStore();
  // 2025-03-31 23:00 in Shanghai: the last hour before April.
  const clock = fixedClock(new Date('2025-03-31T15:00:00Z'));
  const segments = registry();
  let draws = 0;
  const deps: SpotCheckDeps = {
    spotChecks: store,
    clock,
    random: {
      bytes: (count) => {
        draws += 1;
        return Uint8Array.from({ length: count }, (_, i) => (i * 7 + draws) % 256);
      },
    },
    holdingContracts: async () => contracts,
    getSegments: async (_tenant, ids) => new Map(ids.filter((id) => segments.has(id)).map((id) => [id, segments.get(id)!])),
  };
  return { deps, store, clock, segments, randomCalls: () => draws };
}

describe('commitSpotCheck', () => {
  it('publishes the commitment of a fresh seed and keeps the seed out of the answer', async () => {
    const { deps, store } = setup();

    const view = await commitSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });

    const stored = store.records.get(`${tenantId}|2025-04|cleaning`)!;
    expect(view.commitment).toBe(commitmentOf(stored.seed));
    expect(view).not.toHaveProperty('seed');
    expect(view.candidates.map((c) => c.segmentId)).toEqual([...scope].sort());
    expect(view.plan).toHaveLength(3);
  });

  it('answers a repeat with the stored commitment and draws no second seed', async () => {
    const { deps, randomCalls } = setup();

    const first = await commitSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });
    const second = await commitSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });

    expect(second.commitment).toBe(first.commitment);
    expect(randomCalls()).toBe(1);
  });

  it('refuses once the month has started in the tenant zone (00:00 Shanghai is 16:00 UTC the day before)', async () => {
    const { deps, clock } = setup();
    clock.set(new Date('2025-03-31T16:00:00Z'));

    await expect(commitSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' })).rejects.toThrow(RuleViolationError);
  });

  it('refuses when the contracts of the service type disagree on the plan, naming them', async () => {
    const a = contractFixture({ status: 'active', scope: [seg.nanjingWest] });
    const b = contractFixture({ status: 'active', scope: [seg.shimenOne] });
    const [terms] = b.versions as [Contract['versions'][number]];
    const other: Contract = { ...b, versions: [{ ...terms, rulebook: { ...terms.rulebook, spotCheckPlan: [{ flag: null, count: 2 }] } }] };
    const { deps } = setup([a, other]);

    const refusal = await commitSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' }).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(RuleViolationError);
    expect((refusal as RuleViolationError).reasons.join(' ')).toContain(other.contractId);
  });

  it('lets only inspectors commit', async () => {
    const { deps } = setup();

    await expect(commitSpotCheck(deps, actors.procurement, '2025-04', { serviceType: 'cleaning' })).rejects.toThrow(ForbiddenError);
  });
});

describe('revealSpotCheck', () => {
  it('refuses before the month starts and reveals once it has', async () => {
    const { deps, clock } = setup();
    await commitSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });

    await expect(revealSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' })).rejects.toThrow(RuleViolationError);
    clock.set(new Date('2025-03-31T16:00:00Z'));
    const revealed = await revealSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });

    expect(revealed.status).toBe('revealed');
    expect(revealed.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(revealed.selection).toHaveLength(3);
    expect(revealed.verification).toMatchObject({ commitmentMatches: true, selectionMatches: true });
  });

  it('draws from the candidates snapshotted at commit: later segment edits change nothing', async () => {
    const { deps, clock, segments } = setup();
    await commitSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });
    // After the commit the only strict road loses its flag and an alley is retired.
    segments.set(seg.nanjingWest, { ...segments.get(seg.nanjingWest)!, flags: [] });
    segments.set(seg.weihai, { ...segments.get(seg.weihai)!, status: 'retired' });
    clock.set(new Date('2025-04-02T01:00:00Z'));

    const revealed = await revealSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });

    expect(revealed.selection?.[0]).toEqual({ quotaIndex: 0, segmentId: seg.nanjingWest });
    expect(revealed.candidates.find((c) => c.segmentId === seg.weihai)).toBeDefined();
  });

  it('answers a repeated reveal with the stored draw', async () => {
    const { deps, clock } = setup();
    await commitSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });
    clock.set(new Date('2025-04-02T01:00:00Z'));

    const first = await revealSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });
    const again = await revealSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });

    expect(again).toEqual(first);
  });
});

describe('getSpotCheck', () => {
  it('shows every role of the tenant the committed draw without the seed', async () => {
    const { deps } = setup();
    await commitSpotCheck(deps, actors.inspector, '2025-04', { serviceType: 'cleaning' });

    const view = await getSpotCheck(deps, actors.huanjieUser, '2025-04', 'cleaning');

    expect(view.status).toBe('committed');
    expect(view).not.toHaveProperty('seed');
    expect(view.verification).toEqual({ algorithm: 'xiuhua-spot-draw-v1' });
  });
});
