import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError } from '../../../../domain/errors';
import type { Evidence, EvidenceStore, IngestResult, ProofBlobStore } from '../../../../domain/proofs/evidence';
import type { AcceptedWrite, FlaggedProofFilter, ProofStore } from '../../../../domain/proofs/ports';
import { inFlaggedQueue, type Proof, type ProofStatus } from '../../../../domain/proofs/schema';
import type { ProofDeps } from '../../../../domain/proofs/use-cases';
import type { Actor } from '../../../../domain/policy';
import type { Page, PageRequest } from '../../../../domain/ports';
import type { TaskOutcome, TaskRef } from '../../../../domain/schedule/outcomes';
import type { TaskView } from '../../../../domain/schedule/use-cases';
import { FixedClock, SequentialIds } from '../../../helpers/fakes';
import { contractId, contractorId, road, segmentId, taskId } from './fixtures';

/**
 * In-memory doubles of the proof ports with the adapters' semantics: conditional writes,
 * one transaction per accepted proof (claims and outcome together or nothing).
 */

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryProofStore implements ProofStore {
  readonly proofs = new Map<string, Proof>();
  readonly claims = new Map<string, string>();
  readonly outcomes = new Map<string, TaskOutcome>();
  /** Runs once before the next recordAccepted: a concurrent request's writes. */
  beforeNextAccept: (() => void) | undefined;

  async get(_tenantId: string, proofId: string): Promise<Proof | undefined> {
    const proof = this.proofs.get(proofId);
    return proof === undefined ? undefined : copy(proof);
  }

  async listByContractDay(_t: string, contract: string, date: string, filter: { readonly status?: ProofStatus }, page: PageRequest): Promise<Page<Proof>> {
    const all = [...this.proofs.values()].filter((p) => p.contractId === contract && p.localDate === date && (filter.status === undefined || p.status === filter.status));
    return { items: all.slice(0, page.limit).map(copy) };
  }

  async listFlagged(_t: string, filter: FlaggedProofFilter, page: PageRequest): Promise<Page<Proof>> {
    const all = [...this.proofs.values()]
      .filter((p) => inFlaggedQueue(p) && (filter.contractId === undefined || p.contractId === filter.contractId))
      .filter((p) => (filter.from === undefined || p.localDate >= filter.from) && (filter.to === undefined || p.localDate <= filter.to))
      .sort((x, y) => (x.localDate === y.localDate ? y.proofId.localeCompare(x.proofId) : y.localDate.localeCompare(x.localDate)));
    return { items: all.slice(0, page.limit).map(copy) };
  }

  async allByContractDay(_t: string, contract: string, date: string): Promise<readonly Proof[]> {
    return [...this.proofs.values()].filter((p) => p.contractId === contract && p.localDate === date).map(copy);
  }

  async findClaims(_t: string, hashes: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return new Map(hashes.filter((h) => this.claims.has(h)).map((h) => [h, this.claims.get(h)!]));
  }

  async getOutcome(_t: string, task: TaskRef): Promise<TaskOutcome | undefined> {
    const outcome = this.outcomes.get(task.taskId);
    return outcome === undefined ? undefined : copy(outcome);
  }

  async recordAccepted(proof: Proof, outcome: TaskOutcome): Promise<AcceptedWrite> {
    const before = this.beforeNextAccept;
    this.beforeNextAccept = undefined;
    before?.();
    const taken = proof.photoHashes.find((h) => this.claims.has(h));
    if (taken !== undefined) return { status: 'photo-claimed', sha256: taken, otherProofId: this.claims.get(taken)! };
    const current = this.outcomes.get(outcome.taskId);
    if (current !== undefined && current.status === 'done') return { status: 'outcome-taken' };
    this.proofs.set(proof.proofId, copy(proof));
    for (const h of proof.photoHashes) this.claims.set(h, proof.proofId);
    this.outcomes.set(outcome.taskId, copy(outcome));
    return { status: 'recorded' };
  }

  async recordRefused(proof: Proof): Promise<void> {
    if (this.proofs.has(proof.proofId)) throw new ConflictError(`proof ${proof.proofId} exists`);
    this.proofs.set(proof.proofId, copy(proof));
  }

  async recordReview(proof: Proof, expectedVersion: number, outcome: TaskOutcome, outcomeFrom: TaskOutcome['status']): Promise<void> {
    const stored = this.proofs.get(proof.proofId);
    if (stored?.version !== expectedVersion) throw new StaleVersionError('proof', proof.proofId, expectedVersion, stored?.version);
    const current = this.outcomes.get(outcome.taskId);
    if (current?.status !== outcomeFrom || current.source.kind !== 'proof' || current.source.proofId !== proof.proofId) throw new ConflictError('outcome moved');
    this.proofs.set(proof.proofId, copy(proof));
    this.outcomes.set(outcome.taskId, copy(outcome));
  }
}

export class InMemoryEvidenceStore implements EvidenceStore {
  readonly items = new Map<string, Evidence>();

  async issue(evidence: Evidence): Promise<void> {
    if (this.items.has(evidence.evidenceId)) throw new ConflictError(`evidence ${evidence.evidenceId} exists`);
    this.items.set(evidence.evidenceId, copy(evidence));
  }

  async get(_t: string, subjectId: string, evidenceId: string): Promise<Evidence | undefined> {
    const item = this.items.get(evidenceId);
    return item?.subject.id === subjectId ? copy(item) : undefined;
  }

  async getMany(_t: string, subjectId: string, ids: readonly string[]): Promise<readonly Evidence[]> {
    return ids.map((id) => this.items.get(id)).filter((item): item is Evidence => item !== undefined && item.subject.id === subjectId).map(copy);
  }

  async listBySubject(_t: string, subjectId: string): Promise<readonly Evidence[]> {
    return [...this.items.values()].filter((item) => item.subject.id === subjectId).map(copy);
  }

  async locate(_t: string, ids: readonly string[]): Promise<readonly Evidence[]> {
    return [...new Set(ids)].flatMap((id) => {
      const item = this.items.get(id);
      return item === undefined ? [] : [copy(item)];
    });
  }

  async recordIngest(_t: string, _s: string, evidenceId: string, result: IngestResult): Promise<'recorded' | 'already' | 'missing'> {
    const item = this.items.get(evidenceId);
    if (item === undefined) return 'missing';
    if (item.status !== 'awaiting_upload') return 'already';
    this.items.set(evidenceId, { ...item, ...result });
    return 'recorded';
  }

  async recordUnissued(evidence: Evidence): Promise<'recorded' | 'already'> {
    if (this.items.has(evidence.evidenceId)) return 'already';
    this.items.set(evidence.evidenceId, copy(evidence));
    return 'recorded';
  }

  /** A photo as ingest would have recorded it, valid unless told otherwise. */
  put(evidenceId: string, overrides: Partial<Evidence> = {}): void {
    this.items.set(evidenceId, {
      tenantId: 't1',
      evidenceId,
      key: `proofs/t1/${contractId}/2026-11-23/${taskId}/${evidenceId}.jpg`,
      contractId,
      contractorId,
      subject: { kind: 'task', id: taskId },
      localDate: '2026-11-23',
      status: 'valid',
      declaredContentType: 'image/jpeg',
      detectedContentType: 'image/jpeg',
      sizeBytes: 200_000,
      sha256: evidenceId.slice(3).padEnd(64, '0').slice(0, 64),
      issuedAt: '2026-11-22T20:00:00.000Z',
      issuedBy: 'crew',
      ...overrides,
    });
  }
}

export class FakeBlobs implements ProofBlobStore {
  readonly signed: string[] = [];

  async presignUpload(policy: Parameters<ProofBlobStore['presignUpload']>[0]): Promise<{ url: string; fields: Record<string, string> }> {
    this.signed.push(policy.key);
    return { url: 'https://s3.example/proofs', fields: { key: policy.key, 'Content-Type': policy.fields['Content-Type'] } };
  }

  async presignDownload(key: string, options: { versionId?: string; expiresInSeconds: number }): Promise<{ url: string; expiresAt: Date }> {
    return { url: `https://s3.example/${key}?v=${options.versionId ?? ''}&ttl=${options.expiresInSeconds}`, expiresAt: new Date('2026-11-22T22:35:00Z') };
  }
}

export const task: TaskView = {
  taskId,
  contractId,
  segmentId,
  activity: 'sweep',
  windowStart: '2026-11-23T04:30:00+08:00',
  windowEnd: '2026-11-23T07:00:00+08:00',
  graceMinutes: 30,
  minPhotos: 2,
  localDate: '2026-11-23',
  origin: 'standard',
  status: 'pending',
};

export const crew: Actor = { userId: 'crew', tenantId: 't1', roles: ['contractor'], contractorId };
export const otherCrew: Actor = { userId: 'other', tenantId: 't1', roles: ['contractor'], contractorId: 'ctr_zzzzzzzzzzzzzzzz' };
export const inspector: Actor = { userId: 'insp', tenantId: 't1', roles: ['inspector'] };

export interface Harness {
  readonly deps: ProofDeps;
  readonly proofs: InMemoryProofStore;
  readonly evidence: InMemoryEvidenceStore;
  readonly blobs: FakeBlobs;
  readonly clock: FixedClock;
  tasks: TaskView[];
}

/** Deps around one task (2026-11-23 04:30–07:00 Shanghai) of `contractorId`, clock at 06:10 that day. */
export function harness(): Harness {
  const proofs = new InMemoryProofStore();
  const evidence = new InMemoryEvidenceStore();
  const blobs = new FakeBlobs();
  const clock = new FixedClock('2026-11-22T22:10:00.000Z');
  let uuids = 0;
  const h: Harness = {
    proofs,
    evidence,
    blobs,
    clock,
    tasks: [task],
    deps: {
      clock,
      ids: new SequentialIds(),
      uuid: () => `00000000-0000-4000-8000-${String((uuids += 1)).padStart(12, '0')}`,
      evidence,
      blobs,
      proofs,
      async resolveTask(actor, id) {
        const found = h.tasks.find((t) => t.taskId === id);
        if (found === undefined) throw new NotFoundError('task', id);
        if (actor.roles.every((r) => r === 'contractor') && actor.contractorId !== contractorId) throw new ForbiddenError('another contractor');
        return found;
      },
      getContract: async (tenantId, id) => (id === contractId ? { tenantId, contractId, contractorId } : undefined),
      getSegment: async (_t, id) => (id === segmentId ? { segmentId, name: 'Ordos Ave 3', geometry: road } : undefined),
      dayTasks: async () => h.tasks,
    },
  };
  return h;
}
