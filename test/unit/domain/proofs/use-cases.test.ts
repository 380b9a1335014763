import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError } from '../../../../domain/errors';
import {
  getProof,
  issueInspectionUpload,
  issueUpload,
  listContractProofs,
  proofReport,
  rejectProof,
  requestTaskUpload,
  submitTaskProof,
  taskIntakeWindow,
  undoProofRejection,
  type SubmitProofInput,
  type SubmitResult,
} from '../../../../domain/proofs/use-cases';
import type { Proof } from '../../../../domain/proofs/schema';
import { at, contractId, contractorId, otherTaskId, taskId } from './fixtures';
import { crew, harness, inspector, otherCrew, task, type Harness } from './proof-fakes';

const claim = (overrides: Partial<SubmitProofInput> = {}): SubmitProofInput => ({
  evidenceIds: [ev(1), ev(2)],
  capturedAt: '2026-11-23T06:00:00+08:00',
  gps: { ...at(10), accuracyM: 8 },
  note: 'swept',
  ...overrides,
});

/** Evidence id n: ev_ + 32 hex digits. */
function ev(n: number): string {
  return `ev_${String(n).padStart(32, 'a')}`;
}

function withPhotos(h: Harness, ...ns: number[]): void {
  for (const n of ns) h.evidence.put(ev(n), { sha256: String(n).padStart(64, 'c') });
}

function accepted(result: SubmitResult): Proof {
  if (result.outcome !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(result)}`);
  return result.proof;
}

function refused(result: SubmitResult): Proof {
  if (result.outcome !== 'refused') throw new Error(`expected refused, got ${JSON.stringify(result)}`);
  return result.proof;
}

describe('issueUpload (generic over subjects)', () => {
  it('writes the awaiting evidence item, then signs the policy for the chosen key', async () => {
    const h = harness();

    const issued = await issueUpload(h.deps, crew, { kind: 'task', id: taskId, contractId, contractorId, localDate: '2026-11-23' }, 'image/jpeg');

    expect(issued.evidenceId).toBe('ev_00000000000040008000000000000001');
    expect(issued.key).toBe(`proofs/t1/${contractId}/2026-11-23/${taskId}/00000000-0000-4000-8000-000000000001.jpg`);
    expect(issued.expiresAt).toBe('2026-11-22T22:25:00.000Z');
    expect(h.blobs.signed).toEqual([issued.key]);
    expect(h.evidence.items.get(issued.evidenceId)).toMatchObject({ status: 'awaiting_upload', contractorId, subject: { kind: 'task', id: taskId }, issuedBy: 'crew', declaredContentType: 'image/jpeg' });
  });

  it("refuses another contractor's crew and writes nothing", async () => {
    const h = harness();

    await expect(issueUpload(h.deps, otherCrew, { kind: 'task', id: taskId, contractId, contractorId, localDate: '2026-11-23' }, 'image/jpeg')).rejects.toBeInstanceOf(ForbiddenError);
    expect(h.evidence.items.size).toBe(0);
  });

  it('refuses a type outside the list on contentType before writing', async () => {
    const h = harness();

    const error = await issueUpload(h.deps, crew, { kind: 'task', id: taskId, contractId, contractorId, localDate: '2026-11-23' }, 'image/gif').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect(h.evidence.items.size).toBe(0);
  });
});

describe('issueInspectionUpload (the inspector path)', () => {
  const insId = 'ins_01jd8k2m3n4p5q6r7s8t9v0w1x';
  const subject = { kind: 'inspection' as const, id: insId, contractId, contractorId, localDate: '2026-11-23' };

  it("files the inspector's photo under the inspection, naming the inspected contractor and the inspector", async () => {
    const h = harness();

    const issued = await issueInspectionUpload(h.deps, inspector, subject, 'image/jpeg');

    expect(issued.key).toBe(`proofs/t1/${contractId}/2026-11-23/${insId}/00000000-0000-4000-8000-000000000001.jpg`);
    expect(h.evidence.items.get(issued.evidenceId)).toMatchObject({ status: 'awaiting_upload', contractorId, subject: { kind: 'inspection', id: insId }, issuedBy: 'insp' });
  });

  it('refuses the crew (even the inspected one) and writes nothing', async () => {
    const h = harness();

    await expect(issueInspectionUpload(h.deps, crew, subject, 'image/jpeg')).rejects.toBeInstanceOf(ForbiddenError);
    expect(h.evidence.items.size).toBe(0);
  });

  it('keeps the crew path and the inspector path apart', async () => {
    const h = harness();

    // An inspection subject through the crew's issueUpload is a wiring mistake, and an inspector may not use that path.
    await expect(issueUpload(h.deps, crew, subject, 'image/jpeg')).rejects.toBeInstanceOf(RangeError);
    await expect(issueUpload(h.deps, inspector, { ...subject, kind: 'task', id: taskId }, 'image/jpeg')).rejects.toBeInstanceOf(ForbiddenError);
    expect(h.evidence.items.size).toBe(0);
  });
});

describe('requestTaskUpload', () => {
  it('issues an upload for the task to its contractor', async () => {
    const h = harness();

    const issued = await requestTaskUpload(h.deps, crew, taskId, { contentType: 'image/png' });

    expect(issued.key.endsWith('.png')).toBe(true);
  });

  it('is 404 for an id that is no task and 403 for an inspector', async () => {
    const h = harness();

    await expect(requestTaskUpload(h.deps, crew, otherTaskId, { contentType: 'image/png' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(requestTaskUpload(h.deps, inspector, taskId, { contentType: 'image/png' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('opens 60 min before the window and closes at the end of the next local day', async () => {
    const h = harness();
    const window = taskIntakeWindow(task, 'Asia/Shanghai');

    expect(window).toEqual({ opens: new Date('2026-11-22T19:30:00Z'), closes: new Date('2026-11-24T16:00:00Z') });
    h.clock.set('2026-11-22T19:29:59Z');
    await expect(requestTaskUpload(h.deps, crew, taskId, { contentType: 'image/png' })).rejects.toBeInstanceOf(RuleViolationError);
    h.clock.set('2026-11-24T15:59:59Z');
    await expect(requestTaskUpload(h.deps, crew, taskId, { contentType: 'image/png' })).resolves.toMatchObject({ evidenceId: expect.any(String) });
    h.clock.set('2026-11-24T16:00:00Z');
    await expect(requestTaskUpload(h.deps, crew, taskId, { contentType: 'image/png' })).rejects.toBeInstanceOf(RuleViolationError);
  });
});

describe('submitTaskProof', () => {
  it('accepts a good proof: claims each photo and marks the task done, in one write', async () => {
    const h = harness();
    withPhotos(h, 1, 2);

    const proof = accepted(await submitTaskProof(h.deps, crew, taskId, claim()));

    expect(proof).toMatchObject({ proofId: 'prf_01jpz8x4k90000000000000001', status: 'accepted', localDate: '2026-11-23', failures: [], version: 1, note: 'swept' });
    expect(proof.photoHashes).toHaveLength(2);
    expect([...h.proofs.claims.values()]).toEqual([proof.proofId, proof.proofId]);
    expect(h.proofs.outcomes.get(taskId)).toMatchObject({ status: 'done', source: { kind: 'proof', proofId: proof.proofId } });
  });

  it('refuses with every failed check and its numbers, stores the refused proof, leaves the task pending', async () => {
    const h = harness();
    withPhotos(h, 1);
    h.evidence.put(ev(2), { status: 'refused', sha256: 'd'.repeat(64) });
    h.clock.set('2026-11-23T00:00:00Z');

    const proof = refused(
      await submitTaskProof(h.deps, crew, taskId, claim({ evidenceIds: [ev(1), ev(2), ev(3)], capturedAt: '2026-11-23T07:41:00+08:00', gps: { ...at(300), accuracyM: 0 } })),
    );

    expect(proof.failures.map((f) => f.message)).toEqual([
      'captured 07:41, window 04:30–07:00 + 30 min',
      "GPS 300 m from segment 'Ordos Ave 3', limit 50 m",
      `photo ${ev(3)} has not been uploaded or is not yet processed`,
      `photo ${ev(2)} was refused at upload`,
    ]);
    expect(h.proofs.proofs.get(proof.proofId)?.status).toBe('refused');
    expect(h.proofs.claims.size).toBe(0);
    expect(h.proofs.outcomes.size).toBe(0);
  });

  it('counts an item still awaiting its upload as missing and refuses too few photos', async () => {
    const h = harness();
    withPhotos(h, 1);
    h.evidence.put(ev(2), { status: 'awaiting_upload', sha256: undefined });

    const proof = refused(await submitTaskProof(h.deps, crew, taskId, claim()));

    expect(proof.failures.map((f) => f.code)).toEqual(['evidence-missing', 'too-few-photos']);
  });

  it('refuses a photo another proof holds, naming that proof', async () => {
    const h = harness();
    withPhotos(h, 1, 2);
    h.proofs.claims.set('1'.padStart(64, 'c'), 'prf_01jpz8x4k9000000000000zz');

    const proof = refused(await submitTaskProof(h.deps, crew, taskId, claim()));

    expect(proof.failures).toEqual([expect.objectContaining({ code: 'photo-reused', evidenceId: ev(1), otherProofId: 'prf_01jpz8x4k9000000000000zz' })]);
  });

  it('refuses a later proof of a done task as duplicate naming the accepted one, storing nothing', async () => {
    const h = harness();
    withPhotos(h, 1, 2, 3, 4);
    const first = accepted(await submitTaskProof(h.deps, crew, taskId, claim()));

    const second = await submitTaskProof(h.deps, crew, taskId, claim({ evidenceIds: [ev(3), ev(4)] }));

    expect(second).toEqual({ outcome: 'duplicate', otherProofId: first.proofId, failures: [expect.objectContaining({ code: 'duplicate', otherProofId: first.proofId })] });
    expect(h.proofs.proofs.size).toBe(1);
  });

  it('answers a repeat of the accepted claim with the accepted proof (a retry whose answer was lost)', async () => {
    const h = harness();
    withPhotos(h, 1, 2);
    const first = accepted(await submitTaskProof(h.deps, crew, taskId, claim()));

    const again = accepted(await submitTaskProof(h.deps, crew, taskId, claim()));

    expect(again.proofId).toBe(first.proofId);
    expect(h.proofs.proofs.size).toBe(1);
  });

  it('overwrites a missed outcome when the photos were captured in the window', async () => {
    const h = harness();
    withPhotos(h, 1, 2);
    h.proofs.outcomes.set(taskId, { tenantId: 't1', taskId, contractId, segmentId: task.segmentId, activity: 'sweep', windowStart: task.windowStart, windowEnd: task.windowEnd, localDate: task.localDate, status: 'missed', at: 'x', source: { kind: 'sweep', runId: 'r' } });

    const proof = accepted(await submitTaskProof(h.deps, crew, taskId, claim()));

    expect(h.proofs.outcomes.get(taskId)).toMatchObject({ status: 'done', source: { proofId: proof.proofId } });
  });

  it('turns a race lost on a photo claim into a stored refusal naming the winner', async () => {
    const h = harness();
    withPhotos(h, 1, 2);
    h.proofs.beforeNextAccept = () => h.proofs.claims.set('2'.padStart(64, 'c'), 'prf_01jpz8x4k9000000000000yy');

    const proof = refused(await submitTaskProof(h.deps, crew, taskId, claim()));

    expect(proof.failures).toEqual([expect.objectContaining({ code: 'photo-reused', evidenceId: ev(2), otherProofId: 'prf_01jpz8x4k9000000000000yy' })]);
    expect(h.proofs.outcomes.size).toBe(0);
  });

  it('turns a race lost on the outcome into a duplicate naming the winner', async () => {
    const h = harness();
    withPhotos(h, 1, 2);
    h.proofs.beforeNextAccept = () =>
      h.proofs.outcomes.set(taskId, { tenantId: 't1', taskId, contractId, segmentId: task.segmentId, activity: 'sweep', windowStart: task.windowStart, windowEnd: task.windowEnd, localDate: task.localDate, status: 'done', at: 'x', source: { kind: 'proof', proofId: 'prf_01jpz8x4k9000000000000xx' } });

    const result = await submitTaskProof(h.deps, crew, taskId, claim());

    expect(result).toMatchObject({ outcome: 'duplicate', otherProofId: 'prf_01jpz8x4k9000000000000xx' });
    expect(h.proofs.proofs.size).toBe(0);
  });

  it('refuses a capture time in the future (400) and an inspector (403)', async () => {
    const h = harness();
    withPhotos(h, 1, 2);

    await expect(submitTaskProof(h.deps, crew, taskId, claim({ capturedAt: '2026-11-23T06:20:00+08:00' }))).rejects.toBeInstanceOf(ValidationError);
    await expect(submitTaskProof(h.deps, inspector, taskId, claim())).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('stores EXIF disagreements as flags on an accepted proof', async () => {
    const h = harness();
    h.evidence.put(ev(1), { sha256: 'e'.repeat(64), exif: { capturedAt: '2026-11-22T20:00:00.000Z' } });
    withPhotos(h, 2);

    const proof = accepted(await submitTaskProof(h.deps, crew, taskId, claim()));

    expect(proof.flags).toEqual([expect.objectContaining({ code: 'exif-time-mismatch', evidenceId: ev(1) })]);
  });
});

describe('review', () => {
  async function acceptedProof(h: Harness): Promise<Proof> {
    withPhotos(h, 1, 2);
    return accepted(await submitTaskProof(h.deps, crew, taskId, claim()));
  }

  it('rejects an accepted proof with a reason: the task is rejected, the review audited', async () => {
    const h = harness();
    const proof = await acceptedProof(h);

    const rejected = await rejectProof(h.deps, inspector, proof.proofId, 1, { reason: 'photos show another street' });

    expect(rejected).toMatchObject({ status: 'rejected', version: 2, reviews: [{ action: 'reject', by: 'insp', reason: 'photos show another street', version: 2 }] });
    expect(h.proofs.outcomes.get(taskId)).toMatchObject({ status: 'rejected', source: { proofId: proof.proofId } });
  });

  it('refuses a stale version (412), a crew (403), a refused proof (409) and a missing reason (400)', async () => {
    const h = harness();
    const proof = await acceptedProof(h);
    const other = harness();
    withPhotos(other, 9);
    const bad = refused(await submitTaskProof(other.deps, crew, taskId, claim({ evidenceIds: [ev(9)] })));

    await expect(rejectProof(h.deps, inspector, proof.proofId, 3, { reason: 'x' })).rejects.toBeInstanceOf(StaleVersionError);
    await expect(rejectProof(h.deps, crew, proof.proofId, 1, { reason: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(rejectProof(h.deps, inspector, proof.proofId, 1, { reason: ' ' })).rejects.toBeInstanceOf(ValidationError);
    await expect(rejectProof(other.deps, inspector, bad.proofId, 1, { reason: 'x' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('undoes a rejection: accepted again and the task done', async () => {
    const h = harness();
    const proof = await acceptedProof(h);
    await rejectProof(h.deps, inspector, proof.proofId, 1, { reason: 'wrong street' });

    const undone = await undoProofRejection(h.deps, inspector, proof.proofId, 2, { reason: 'it was the right street' });

    expect(undone.status).toBe('accepted');
    expect(undone.reviews.map((r) => r.action)).toEqual(['reject', 'undo-rejection']);
    expect(h.proofs.outcomes.get(taskId)).toMatchObject({ status: 'done', source: { proofId: proof.proofId } });
  });

  it('takes a new proof after a rejection, and then refuses to undo the rejection (409)', async () => {
    const h = harness();
    const proof = await acceptedProof(h);
    await rejectProof(h.deps, inspector, proof.proofId, 1, { reason: 'blurred' });
    withPhotos(h, 3, 4);

    const second = accepted(await submitTaskProof(h.deps, crew, taskId, claim({ evidenceIds: [ev(3), ev(4)] })));
    const error = await undoProofRejection(h.deps, inspector, proof.proofId, 2, { reason: 'x' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain(second.proofId);
    expect(h.proofs.outcomes.get(taskId)).toMatchObject({ status: 'done', source: { proofId: second.proofId } });
  });

  it('refuses to reject a proof twice (409)', async () => {
    const h = harness();
    const proof = await acceptedProof(h);
    await rejectProof(h.deps, inspector, proof.proofId, 1, { reason: 'blurred' });

    await expect(rejectProof(h.deps, inspector, proof.proofId, 2, { reason: 'again' })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('reading', () => {
  it("hides another contractor's proof (404) and gives 5-minute links to its own", async () => {
    const h = harness();
    withPhotos(h, 1, 2);
    const proof = accepted(await submitTaskProof(h.deps, crew, taskId, claim()));

    const detail = await getProof(h.deps, crew, proof.proofId, { links: true });

    expect(detail.evidence).toHaveLength(2);
    expect(detail.evidence[0]?.url).toContain('ttl=300');
    await expect(getProof(h.deps, otherCrew, proof.proofId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists a contract-day by status', async () => {
    const h = harness();
    withPhotos(h, 1, 2);
    await submitTaskProof(h.deps, crew, taskId, claim({ evidenceIds: [ev(1)] }));
    await submitTaskProof(h.deps, crew, taskId, claim());

    const refusals = await listContractProofs(h.deps, crew, contractId, { date: '2026-11-23', status: 'refused' });
    const all = await listContractProofs(h.deps, inspector, contractId, { date: '2026-11-23' });

    expect(refusals.items.map((p) => p.status)).toEqual(['refused']);
    expect(all.items).toHaveLength(2);
    await expect(listContractProofs(h.deps, otherCrew, contractId, { date: '2026-11-23' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports tasks done without a proof and proofs whose task is gone', async () => {
    const h = harness();
    withPhotos(h, 1, 2);
    const proof = accepted(await submitTaskProof(h.deps, crew, taskId, claim()));
    // The segment was suspended after the proof: the day no longer derives the task; another task shows done without a proof.
    h.tasks = [{ ...task, taskId: otherTaskId, status: 'done' }];

    const report = await proofReport(h.deps, inspector, contractId, { date: '2026-11-23' });

    expect(report.counts).toEqual({ tasks: 1, done: 1, acceptedProofs: 1, completedWithoutProof: 1, proofWithoutTask: 1 });
    expect(report.completedWithoutProof.map((t) => t.taskId)).toEqual([otherTaskId]);
    expect(report.proofWithoutTask.map((p) => p.proofId)).toEqual([proof.proofId]);
    await expect(proofReport(h.deps, crew, contractId, { date: '2026-11-23' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
