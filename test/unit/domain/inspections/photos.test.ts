import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../../domain/errors';
import type { InspectionPhotoClaim } from '../../../../domain/inspections/photos';
import type { Inspection } from '../../../../domain/inspections/schema';
import { correctInspection, recordInspection, requestInspectionPhotoUpload, type InspectionDeps } from '../../../../domain/inspections/use-cases';
import { parseProofKey } from '../../../../domain/proofs/keys';
import type { RectificationOrder } from '../../../../domain/rectification/schema';
import { actors, contractFixture, fixedClock, huanjie, lvyuan, MemoryContractStore, seg, sequentialIds, tenantId } from '../contracts/fixtures';
import { FakeBlobs, InMemoryEvidenceStore } from '../proofs/proof-fakes';
import { MemoryInspectionStore, MemoryOrderStore } from '../rectification/fakes';

/** 2025-03-05 09:30 Shanghai; the fixed clock stands at 10:00 that day. */
const at = '2025-03-05T09:30:00+08:00';

/** Claims as the DynamoDB store writes them: one per hash, refused when another record holds it. */
class ClaimingInspectionStore extends MemoryInspectionStore {
  readonly claims = new Map<string, string>();

  override async record(inspection: Inspection, orders: readonly RectificationOrder[], photoClaims: readonly InspectionPhotoClaim[] = []): Promise<void> {
    const taken = photoClaims.find((claim) => this.claims.has(claim.sha256));
    if (taken !== undefined) throw new ConflictError(`photo sha-256 ${taken.sha256} is already used by ${this.claims.get(taken.sha256) ?? ''}`);
    await super.record(inspection, orders);
    for (const claim of photoClaims) this.claims.set(claim.sha256, claim.proofId);
  }
}

interface Setup {
  readonly deps: InspectionDeps;
  readonly evidence: InMemoryEvidenceStore;
  readonly store: ClaimingInspectionStore;
  readonly contractId: string;
  readonly otherContractId: string;
}

function setup(): Setup {
  const contract = contractFixture({ status: 'active', contractorId: huanjie, scope: [seg.nanjingWest, seg.shimenOne] });
  // Another contractor's greening contract on the same street: photos filed under it are not the cleaning inspection's.
  const other = contractFixture({ status: 'active', contractorId: lvyuan, serviceType: 'greening', scope: [seg.nanjingWest] });
  const evidence = new InMemoryEvidenceStore();
  const store = new ClaimingInspectionStore(new MemoryOrderStore());
  let uuids = 0;
  const deps: InspectionDeps = {
    inspections: store,
    contracts: new MemoryContractStore([contract, other]),
    clock: fixedClock(),
    ids: sequentialIds(),
    evidence,
    blobs: new FakeBlobs(),
    findClaims: async (_tenant, hashes) => new Map(hashes.filter((sha256) => store.claims.has(sha256)).map((sha256) => [sha256, store.claims.get(sha256)!])),
    uuid: () => `00000000-0000-4000-8000-${String((uuids += 1)).padStart(12, '0')}`,
  };
  return { deps, evidence, store, contractId: contract.contractId, otherContractId: other.contractId };
}

/** Issues an upload and records ingest's verdict on it, as the S3 event would. */
async function photo(s: Setup, sha: string, options: { inspectionId?: string; serviceType?: 'cleaning' | 'greening'; status?: 'valid' | 'refused' } = {}): Promise<{ inspectionId: string; evidenceId: string }> {
  const issued = await requestInspectionPhotoUpload(s.deps, actors.inspector, {
    segmentId: seg.nanjingWest,
    serviceType: options.serviceType ?? 'cleaning',
    contentType: 'image/jpeg',
    ...(options.inspectionId === undefined ? {} : { inspectionId: options.inspectionId }),
  });
  const result =
    options.status === 'refused'
      ? { status: 'refused' as const, uploadedAt: at, ingestedAt: at, refusal: { code: 'type-mismatch' as const, message: 'not a JPEG' } }
      : { status: 'valid' as const, detectedContentType: 'image/jpeg', sizeBytes: 40_000, sha256: sha.repeat(64).slice(0, 64), uploadedAt: at, ingestedAt: at };
  expect(await s.evidence.recordIngest(tenantId, issued.inspectionId, issued.evidenceId, result)).toBe('recorded');
  return { inspectionId: issued.inspectionId, evidenceId: issued.evidenceId };
}

const findingWith = (...evidenceIds: string[]): { itemCode: string; count: number; evidenceIds: string[] } => ({ itemCode: 'CL-LITTER', count: 1, evidenceIds });

describe('requestInspectionPhotoUpload', () => {
  it("allocates the inspection's id and files the photo under the contract holding the segment today", async () => {
    const s = setup();

    const first = await requestInspectionPhotoUpload(s.deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', contentType: 'image/jpeg' });
    const second = await requestInspectionPhotoUpload(s.deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', contentType: 'image/png', inspectionId: first.inspectionId });

    expect(first.inspectionId).toMatch(/^ins_[0-9a-z]{26}$/);
    expect(second.inspectionId).toBe(first.inspectionId);
    expect(parseProofKey(first.key)).toMatchObject({ contractId: s.contractId, localDate: '2025-03-05', subjectId: first.inspectionId, subjectKind: 'inspection' });
    // The item names the inspected contractor (whose work the photo shows) and the inspector as uploader.
    const [item] = await s.evidence.getMany(tenantId, first.inspectionId, [first.evidenceId]);
    expect(item).toMatchObject({ contractorId: huanjie, issuedBy: actors.inspector.userId, subject: { kind: 'inspection', id: first.inspectionId }, status: 'awaiting_upload' });
  });

  it('refuses contractors, segments nobody holds, a recorded inspection and other file types', async () => {
    const s = setup();
    const input = { segmentId: seg.nanjingWest, serviceType: 'cleaning' as const, contentType: 'image/jpeg' };
    const { inspection } = await recordInspection(s.deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', at, kind: 'patrol' });

    await expect(requestInspectionPhotoUpload(s.deps, actors.huanjieUser, input)).rejects.toThrow(ForbiddenError);
    await expect(requestInspectionPhotoUpload(s.deps, actors.inspector, { ...input, segmentId: seg.wujiang })).rejects.toThrow(RuleViolationError);
    await expect(requestInspectionPhotoUpload(s.deps, actors.inspector, { ...input, inspectionId: inspection.inspectionId })).rejects.toThrow(ConflictError);
    await expect(requestInspectionPhotoUpload(s.deps, actors.inspector, { ...input, contentType: 'image/gif' })).rejects.toMatchObject({ issues: [{ path: 'body.contentType' }] });
    await expect(requestInspectionPhotoUpload(s.deps, actors.inspector, { ...input, inspectionId: 'rec_01jnq000000000000000000001' })).rejects.toMatchObject({ issues: [{ path: 'inspectionId' }] });
  });
});

describe('recording an inspection with photos', () => {
  it('records the photos uploaded for its id and claims each distinct photo once', async () => {
    const s = setup();
    const a = await photo(s, 'a');
    const b = await photo(s, 'b', { inspectionId: a.inspectionId });

    const { inspection } = await recordInspection(s.deps, actors.inspector, {
      segmentId: seg.nanjingWest,
      serviceType: 'cleaning',
      inspectionId: a.inspectionId,
      at,
      kind: 'patrol',
      findings: [findingWith(a.evidenceId, b.evidenceId), { ...findingWith(a.evidenceId), itemCode: 'CL-BAG' }],
    });

    expect(inspection.inspectionId).toBe(a.inspectionId);
    expect([...s.store.claims]).toEqual([
      ['a'.repeat(64), a.inspectionId],
      ['b'.repeat(64), a.inspectionId],
    ]);
  });

  it('needs the inspection id when findings name photos', async () => {
    const s = setup();
    const a = await photo(s, 'a');

    const recording = recordInspection(s.deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', at, kind: 'patrol', findings: [findingWith(a.evidenceId)] });

    await expect(recording).rejects.toThrow(ValidationError);
    await expect(recording).rejects.toMatchObject({ issues: [{ path: 'inspectionId' }] });
  });

  it('refuses a photo another inspection already used, naming that inspection', async () => {
    const s = setup();
    const first = await photo(s, 'c');
    await recordInspection(s.deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', inspectionId: first.inspectionId, at, kind: 'patrol', findings: [findingWith(first.evidenceId)] });
    // The same picture uploaded again for a second inspection.
    const again = await photo(s, 'c');

    const recording = recordInspection(s.deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', inspectionId: again.inspectionId, at, kind: 'patrol', findings: [findingWith(again.evidenceId)] });

    await expect(recording).rejects.toThrow(RuleViolationError);
    await expect(recording).rejects.toMatchObject({ reasons: [expect.stringContaining(`already used by proof ${first.inspectionId}`)] });
    expect(await s.deps.inspections.get(tenantId, again.inspectionId)).toBeUndefined();
  });

  it("refuses another inspection's photo, a refused or unprocessed one, and one filed under another contract, with every reason", async () => {
    const s = setup();
    const mine = await photo(s, 'd');
    const elsewhere = await photo(s, 'e');
    const refused = await photo(s, 'f', { inspectionId: mine.inspectionId, status: 'refused' });
    const pending = await requestInspectionPhotoUpload(s.deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', contentType: 'image/jpeg', inspectionId: mine.inspectionId });
    const greening = await photo(s, '9', { inspectionId: mine.inspectionId, serviceType: 'greening' });

    const recording = recordInspection(s.deps, actors.inspector, {
      segmentId: seg.nanjingWest,
      serviceType: 'cleaning',
      inspectionId: mine.inspectionId,
      at,
      kind: 'patrol',
      findings: [findingWith(mine.evidenceId, elsewhere.evidenceId, refused.evidenceId, pending.evidenceId, greening.evidenceId)],
    });

    await expect(recording).rejects.toMatchObject({
      reasons: expect.arrayContaining([
        `photo ${greening.evidenceId} was taken under contract ${s.otherContractId}, not ${s.contractId}`,
        `photo ${elsewhere.evidenceId} was not uploaded for inspection ${mine.inspectionId}, or is not yet processed`,
        `photo ${pending.evidenceId} was not uploaded for inspection ${mine.inspectionId}, or is not yet processed`,
        `photo ${refused.evidenceId} was refused at upload`,
        `photo ${greening.evidenceId} was uploaded by another contractor`,
      ]),
    });
    expect(s.store.claims.size).toBe(0);
  });

  it('lets a correction carry the photos of the inspection it supersedes without claiming them again', async () => {
    const s = setup();
    const a = await photo(s, 'a');
    const input = { segmentId: seg.nanjingWest, serviceType: 'cleaning' as const, at, kind: 'patrol' as const };
    const original = await recordInspection(s.deps, actors.inspector, { ...input, inspectionId: a.inspectionId, findings: [findingWith(a.evidenceId)] });
    const extra = await photo(s, 'b');

    const corrected = await correctInspection(s.deps, actors.inspector, original.inspection.inspectionId, {
      ...input,
      inspectionId: extra.inspectionId,
      findings: [{ ...findingWith(a.evidenceId, extra.evidenceId), count: 2 }],
      reason: '数量记错',
    });

    expect(corrected.inspection.inspectionId).toBe(extra.inspectionId);
    expect(s.store.claims.get('a'.repeat(64))).toBe(a.inspectionId);
    expect(s.store.claims.get('b'.repeat(64))).toBe(extra.inspectionId);
  });
});
