import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../../domain/errors';
import type { Actor } from '../../../../domain/policy';
import { flaggedProofOf, listFlaggedProofs } from '../../../../domain/proofs/queue';
import { inFlaggedQueue, type Proof } from '../../../../domain/proofs/schema';
import { contractId, contractorId, segmentId, taskId } from './fixtures';
import { crew, harness, inspector } from './proof-fakes';

/* Issue 14: the inspectors' queue of accepted proofs that carry flags. */

const admin: Actor = { userId: 'admin', tenantId: 't1', roles: ['admin'] };
const procurement: Actor = { userId: 'proc', tenantId: 't1', roles: ['procurement'] };
const crewWithDesk: Actor = { ...crew, roles: ['contractor', 'admin'] };

const timeFlag = {
  code: 'exif-time-mismatch' as const,
  evidenceId: `ev_${'b'.repeat(32)}`,
  message: 'photo ev_b… EXIF time 05:10 is 30 min from the claimed 05:40, tolerance 10 min',
  zh: '照片 ev_b… 的 EXIF 时间 05:10 与申报的 05:40 相差 30 分钟，容差 10 分钟',
};

function proofOf(n: number, overrides: Partial<Proof> = {}): Proof {
  return {
    tenantId: 't1',
    proofId: `prf_01jpz8x4k9000000000000000${n}`,
    subject: { kind: 'task', id: taskId },
    contractId,
    contractorId,
    localDate: '2026-11-23',
    segmentId,
    windowStart: '2026-11-23T04:30:00+08:00',
    windowEnd: '2026-11-23T07:00:00+08:00',
    status: 'accepted',
    evidenceIds: [`ev_${'a'.repeat(32)}`, `ev_${'b'.repeat(32)}`],
    photoHashes: ['a'.repeat(64), 'b'.repeat(64)],
    capturedAt: '2026-11-23T05:40:00+08:00',
    gps: { lon: 109.78, lat: 39.6, accuracyM: 6 },
    failures: [],
    flags: [timeFlag],
    submittedAt: '2026-11-22T22:10:00.000Z',
    submittedBy: 'crew',
    version: 1,
    reviews: [],
    ...overrides,
  };
}

function seeded(proofs: readonly Proof[]): ReturnType<typeof harness> {
  const h = harness();
  for (const proof of proofs) h.proofs.proofs.set(proof.proofId, proof);
  return h;
}

describe('inFlaggedQueue', () => {
  it('holds accepted task proofs with flags, and nothing else', () => {
    expect(inFlaggedQueue(proofOf(1))).toBe(true);
    expect(inFlaggedQueue(proofOf(1, { flags: [] }))).toBe(false);
    expect(inFlaggedQueue(proofOf(1, { status: 'rejected' }))).toBe(false);
    expect(inFlaggedQueue(proofOf(1, { status: 'refused' }))).toBe(false);
    expect(inFlaggedQueue(proofOf(1, { subject: { kind: 'rectification', id: 'rec_1' } }))).toBe(false);
  });
});

describe('flaggedProofOf', () => {
  it("reads the task's activity back from its id and names the flagged photos", () => {
    // Act
    const entry = flaggedProofOf(proofOf(1));

    // Assess
    expect(entry).toMatchObject({ taskId, activity: 'sweep', segmentId, contractId, contractorId, version: 1, status: 'accepted', flags: [timeFlag] });
    expect(entry.flaggedEvidenceIds).toEqual([`ev_${'b'.repeat(32)}`]);
    expect(entry).not.toHaveProperty('photoHashes');
  });
});

describe('listFlaggedProofs', () => {
  it('lists flagged accepted proofs newest date first, then newest submission, for inspectors and admin', async () => {
    // Prepare
    const h = seeded([
      proofOf(1, { localDate: '2026-11-22' }),
      proofOf(2),
      proofOf(3),
      proofOf(4, { flags: [] }),
      proofOf(5, { status: 'rejected' }),
    ]);

    // Act
    const byInspector = await listFlaggedProofs(h.deps, inspector, {});
    const byAdmin = await listFlaggedProofs(h.deps, admin, {});

    // Assess
    expect(byInspector.items.map((item) => item.proofId.slice(-1))).toEqual(['3', '2', '1']);
    expect(byAdmin.items).toEqual(byInspector.items);
  });

  it('refuses a contractor (held to its own even with a desk role) and a desk that does not judge photos, with the Chinese detail', async () => {
    // Prepare
    const h = seeded([proofOf(1)]);

    // Act
    const refusals = await Promise.all([crew, crewWithDesk, procurement].map((actor) => listFlaggedProofs(h.deps, actor, {}).catch((error: unknown) => error)));

    // Assess
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(ForbiddenError);
      expect((refusal as ForbiddenError).zh).toContain('无权执行 proof:queue');
    }
  });

  it('filters by contract, month and date range', async () => {
    // Prepare
    const other = 'con_01jabcdefghjkmnpqrstvwxyz9';
    const h = seeded([proofOf(1, { localDate: '2026-10-31' }), proofOf(2, { localDate: '2026-11-01' }), proofOf(3, { localDate: '2026-11-30', contractId: other })]);
    h.deps.getContract = async (tenantId, id) => (id === contractId || id === other ? { tenantId, contractId: id, contractorId } : undefined);

    // Act
    const november = await listFlaggedProofs(h.deps, inspector, { month: '2026-11' });
    const oneContract = await listFlaggedProofs(h.deps, inspector, { month: '2026-11', contractId });
    const range = await listFlaggedProofs(h.deps, inspector, { from: '2026-10-31', to: '2026-11-01' });

    // Assess
    expect(november.items.map((item) => item.localDate)).toEqual(['2026-11-30', '2026-11-01']);
    expect(oneContract.items.map((item) => item.localDate)).toEqual(['2026-11-01']);
    expect(range.items.map((item) => item.localDate)).toEqual(['2026-11-01', '2026-10-31']);
  });

  it('refuses a month with a range, a range that ends before it starts (in Chinese too), and answers 404 for an unknown contract', async () => {
    // Prepare
    const h = seeded([]);

    // Act
    const both = await listFlaggedProofs(h.deps, inspector, { month: '2026-11', from: '2026-11-01' }).catch((error: unknown) => error);
    const backwards = await listFlaggedProofs(h.deps, inspector, { from: '2026-11-02', to: '2026-11-01' }).catch((error: unknown) => error);
    const unknown = await listFlaggedProofs(h.deps, inspector, { contractId: 'con_01jabcdefghjkmnpqrstvwxyz9' }).catch((error: unknown) => error);
    const badMonth = await listFlaggedProofs(h.deps, inspector, { month: '2026-13' }).catch((error: unknown) => error);

    // Assess
    expect(both).toBeInstanceOf(ValidationError);
    expect((both as ValidationError).issues).toEqual([expect.objectContaining({ path: 'query.month', zh: '请只给出 month 或 from / to 其中一种' })]);
    expect((backwards as ValidationError).issues).toEqual([{ path: 'query.to', message: '2026-11-01 is before 2026-11-02', zh: '2026-11-01 早于 2026-11-02' }]);
    expect((backwards as ValidationError).zh).toBe('日期范围的结束早于开始');
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((badMonth as ValidationError).issues).toEqual([
      { path: 'query.month', message: 'a month is YYYY-MM between 2000-01 and 2099-12 (e.g. 2026-11)', zh: '月份格式为 YYYY-MM，须在 2000-01 至 2099-12 之间（例如 2026-11）' },
    ]);
  });
});
