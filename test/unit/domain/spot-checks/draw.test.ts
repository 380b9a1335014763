import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  candidatesDigest,
  commitmentOf,
  drawIndex,
  drawSpotChecks,
  spotDrawAlgorithm,
  verifyDraw,
  type DrawCandidate,
  type PublishedDraw,
} from '../../../../domain/spot-checks/draw';

/** Twelve segments of one district: 3 strict, 3 controlled, the rest plain; grades mixed. */
const candidates: DrawCandidate[] = [
  { segmentId: 'seg_a000000001', flags: ['strict'], grade: 'primary', street: '南京东路街道' },
  { segmentId: 'seg_a000000002', flags: ['strict'], grade: 'secondary', street: '南京东路街道' },
  { segmentId: 'seg_a000000003', flags: ['strict', 'controlled'], grade: 'primary', street: '外滩街道' },
  { segmentId: 'seg_a000000004', flags: ['controlled'], grade: 'branch', street: '外滩街道' },
  { segmentId: 'seg_a000000005', flags: ['controlled'], grade: 'secondary', street: '豫园街道' },
  { segmentId: 'seg_a000000006', flags: [], grade: 'alley', street: '豫园街道' },
  { segmentId: 'seg_a000000007', flags: [], grade: 'alley', street: '南京东路街道' },
  { segmentId: 'seg_a000000008', flags: [], grade: 'alley', street: '外滩街道' },
  { segmentId: 'seg_a000000009', flags: [], grade: 'branch', street: '外滩街道' },
  { segmentId: 'seg_a000000010', flags: [], grade: 'primary', street: '豫园街道' },
  { segmentId: 'seg_a000000011', flags: [], grade: 'secondary', street: '豫园街道' },
  { segmentId: 'seg_a000000012', flags: [], grade: 'alley', street: '豫园街道' },
];

/** The cleaning template's plan: one strict, one controlled, one alley ("one community"). */
const plan = [
  { flag: 'strict' as const, count: 1 },
  { flag: 'controlled' as const, count: 1 },
  { flag: null, grade: 'alley' as const, count: 1 },
];

const seedA = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const seedB = 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100';

/**
 * The algorithm written again from its comment in draw.ts alone, without the module's
 * helpers: what an outside auditor would write. BigInt for the limit so no float is involved.
 */
function auditorDraw(seedHex: string, month: string, quotas: readonly { flag: string | null; grade?: string; count: number }[], segments: readonly DrawCandidate[]): { quotaIndex: number; segmentId: string }[] {
  const key = Buffer.from(seedHex, 'hex');
  const sorted = segments.map((s) => s.segmentId).sort();
  const byId = new Map(segments.map((s) => [s.segmentId, s]));
  const taken: string[] = [];
  const out: { quotaIndex: number; segmentId: string }[] = [];
  for (let q = 0; q < quotas.length; q += 1) {
    const quota = quotas[q]!;
    const pool = sorted.filter((id) => {
      const s = byId.get(id)!;
      return (quota.flag === null || (s.flags as string[]).includes(quota.flag)) && (quota.grade === undefined || s.grade === quota.grade) && !taken.includes(id);
    });
    for (let i = 0; i < quota.count && pool.length > 0; i += 1) {
      const n = BigInt(pool.length);
      const limit = ((1n << 32n) / n) * n;
      let j = -1;
      for (let a = 0; j < 0; a += 1) {
        const mac = createHmac('sha256', key).update(Buffer.from(`${month}|${q}|${i}|${a}`, 'utf8')).digest();
        const x = BigInt(mac[0]!) * 16777216n + BigInt(mac[1]!) * 65536n + BigInt(mac[2]!) * 256n + BigInt(mac[3]!);
        if (x < limit) j = Number(x % n);
      }
      const [id] = pool.splice(j, 1);
      taken.push(id!);
      out.push({ quotaIndex: q, segmentId: id! });
    }
  }
  return out;
}

function published(overrides: Partial<PublishedDraw> = {}): PublishedDraw {
  return {
    algorithm: spotDrawAlgorithm,
    month: '2025-04',
    plan,
    candidates,
    commitment: commitmentOf(seedA),
    seed: seedA,
    selection: drawSpotChecks(seedA, '2025-04', plan, candidates).selection,
    ...overrides,
  };
}

describe('commitmentOf', () => {
  it('is the SHA-256 of the 32 raw seed bytes, not of the hex text', () => {
    const raw = createHash('sha256').update(Buffer.from(seedA, 'hex')).digest('hex');

    expect(commitmentOf(seedA)).toBe(raw);
    expect(commitmentOf(seedA)).not.toBe(createHash('sha256').update(seedA, 'utf8').digest('hex'));
  });

  it('refuses a seed that is not 64 lower-case hex digits', () => {
    expect(() => commitmentOf('abc')).toThrow(RangeError);
    expect(() => commitmentOf(seedA.toUpperCase())).toThrow(RangeError);
  });
});

describe('drawSpotChecks', () => {
  it('is deterministic: the same seed, month, plan and candidates give the same selection', () => {
    const first = drawSpotChecks(seedA, '2025-04', plan, candidates);
    const second = drawSpotChecks(seedA, '2025-04', plan, [...candidates].reverse());

    expect(second).toEqual(first);
    expect(first.selection).toHaveLength(3);
  });

  it('equals an independent reimplementation written from the algorithm comment', () => {
    for (const [seed, month] of [[seedA, '2025-04'], [seedB, '2025-04'], [seedA, '2025-05'], [seedB, '2026-12']] as const) {
      expect(drawSpotChecks(seed, month, plan, candidates).selection).toEqual(auditorDraw(seed, month, plan, candidates));
    }
  });

  it('differs between seeds and between months (over a larger plan, where a coincidence is negligible)', () => {
    const wide = [{ flag: null, count: 6 }];

    const a = drawSpotChecks(seedA, '2025-04', wide, candidates).selection;
    const b = drawSpotChecks(seedB, '2025-04', wide, candidates).selection;
    const nextMonth = drawSpotChecks(seedA, '2025-05', wide, candidates).selection;

    expect(b).not.toEqual(a);
    expect(nextMonth).not.toEqual(a);
  });

  it('filters each quota by flag and grade', () => {
    const { selection } = drawSpotChecks(seedA, '2025-04', plan, candidates);
    const byId = new Map(candidates.map((c) => [c.segmentId, c]));

    expect(byId.get(selection[0]!.segmentId)?.flags).toContain('strict');
    expect(byId.get(selection[1]!.segmentId)?.flags).toContain('controlled');
    expect(byId.get(selection[2]!.segmentId)?.grade).toBe('alley');
    expect(selection.map((pick) => pick.quotaIndex)).toEqual([0, 1, 2]);
  });

  it('never picks a segment twice, even when quotas overlap, across many seeds', () => {
    // seg 3 is strict AND controlled: once the strict quota takes it, the controlled pool has 2 left.
    const overlapping = [{ flag: 'strict' as const, count: 3 }, { flag: 'controlled' as const, count: 3 }, { flag: null, count: 7 }];
    for (let n = 0; n < 50; n += 1) {
      const seed = createHash('sha256').update(`seed ${n}`).digest('hex');

      const ids = drawSpotChecks(seed, '2025-04', overlapping, candidates).selection.map((pick) => pick.segmentId);

      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(12);
    }
  });

  it('records a shortfall when a quota asks for more than its pool holds', () => {
    // 3 strict segments exist; the controlled quota then has only 4 − 1 (seg 3 is both) left at most.
    const result = drawSpotChecks(seedA, '2025-04', [{ flag: 'strict', count: 5 }], candidates);

    expect(result.selection).toHaveLength(3);
    expect(result.shortfalls).toEqual([{ quotaIndex: 0, missing: 2 }]);
  });

  it('draws every index of a pool with the same frequency (no modulo bias at small n)', () => {
    const seed = Buffer.from(seedA, 'hex');
    const counts = [0, 0, 0];
    for (let pick = 0; pick < 3_000; pick += 1) counts[drawIndex(seed, '2025-04', 0, pick, 3)]! += 1;

    // 1000 expected each; 6 sigma of a binomial(3000, 1/3) is about 155.
    for (const count of counts) expect(Math.abs(count - 1_000)).toBeLessThan(155);
  });
});

describe('verifyDraw', () => {
  it('confirms an honest draw', () => {
    expect(verifyDraw(published())).toMatchObject({ algorithm: spotDrawAlgorithm, commitmentMatches: true, selectionMatches: true });
  });

  it('fails the commitment check on a tampered seed', () => {
    const tampered = seedA.replace(/^00/, '01');

    expect(verifyDraw(published({ seed: tampered })).commitmentMatches).toBe(false);
  });

  it('fails the selection check on a tampered selection', () => {
    const honest = published();
    const swapped = [...honest.selection!].reverse();

    expect(verifyDraw({ ...honest, selection: swapped }).selectionMatches).toBe(false);
    expect(verifyDraw({ ...honest, selection: swapped }).commitmentMatches).toBe(true);
  });

  it('fails the selection check when the candidates are changed after the fact', () => {
    const honest = published();
    const fewer = candidates.filter((c) => c.segmentId !== honest.selection![0]!.segmentId);

    expect(verifyDraw({ ...honest, candidates: fewer }).selectionMatches).toBe(false);
  });

  it('has nothing to check before the reveal', () => {
    const { seed: _seed, selection: _selection, ...committed } = published();

    expect(verifyDraw(committed)).toEqual({ algorithm: spotDrawAlgorithm });
  });
});

describe('candidatesDigest', () => {
  it('does not depend on the order the candidates are listed in, and changes with any field', () => {
    const digest = candidatesDigest(candidates);

    expect(candidatesDigest([...candidates].reverse())).toBe(digest);
    expect(candidatesDigest([{ ...candidates[0]!, grade: 'alley' }, ...candidates.slice(1)])).not.toBe(digest);
  });
});
