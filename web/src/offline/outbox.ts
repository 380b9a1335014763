/**
 * The outbox: every proof, rectification answer and work-order completion goes through here,
 * online or not. A job is written to IndexedDB (photos as Blobs) before anything is sent, so a
 * phone without signal, a reload or a closed tab loses nothing; it is then sent step by step,
 * each step's result saved before the next:
 *
 *   1. an upload slot per photo (POST …/uploads with the photo's own Idempotency-Key, so a
 *      retried request answers the same slot; a slot whose form expired gets a new key),
 *   2. the photo POSTed straight to S3 with the presigned form,
 *   3. the submission with the Idempotency-Key the job was given when it was queued: a retry
 *      after a lost answer replays the stored answer, so a proof is never stored twice.
 *
 * A network failure leaves the job queued (sent again on `online`, at start and every 30 s);
 * 429/503 back off by Retry-After; a 4xx is the API's answer and ends the job with its reasons.
 * One exception: photos still being processed after upload (`evidence-missing` alone) are
 * waited for, and the submission retried under a new key (the old answer is a refusal).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { ApiProblem, newKey, problemText, requestHeaders, type Problem } from '../api/client';
import { postToS3 } from '../api/uploads';
import { language, t } from '../i18n';
import { reachable } from '../net';
import { store } from '../store';

export type JobKind = 'proof' | 'rectification-answer' | 'work-order-completion';

export interface IssuedSlot {
  readonly evidenceId: string;
  readonly key: string;
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
}

export interface QueuedPhoto {
  readonly blob: Blob;
  readonly name: string;
  /** Idempotency-Key of the slot request. */
  slotKey: string;
  slot?: IssuedSlot;
  uploaded: boolean;
}

export interface JobAnswer {
  readonly status: number;
  readonly accepted: boolean;
  readonly id?: string;
  readonly reasons: readonly string[];
  readonly flags?: readonly string[];
}

export interface Job {
  readonly id: string;
  readonly kind: JobKind;
  /** taskId, orderId or workOrderId. */
  readonly subjectId: string;
  /** What the crew sees in the queue: road and activity, or the order's item. */
  readonly title: string;
  readonly createdAt: string;
  /** The body without evidenceIds; they are added once the photos are in. */
  readonly body: Record<string, unknown>;
  readonly photos: QueuedPhoto[];
  submitKey: string;
  state: 'queued' | 'sending' | 'done' | 'refused';
  attempts: number;
  lastError?: string;
  answer?: JobAnswer;
  /** Epoch ms before which the job is not tried again. */
  notBefore?: number;
  /** The API's last instant for late uploads, shown with the job. */
  readonly deadline?: string;
}

interface OutboxDb extends DBSchema {
  jobs: { key: string; value: Job; indexes: { createdAt: string } };
}

const paths: Record<JobKind, { uploads: (id: string) => string; submit: (id: string) => string }> = {
  proof: { uploads: (id) => `/v1/tasks/${id}/uploads`, submit: (id) => `/v1/tasks/${id}/proofs` },
  'rectification-answer': { uploads: (id) => `/v1/rectification-orders/${id}/uploads`, submit: (id) => `/v1/rectification-orders/${id}/answers` },
  'work-order-completion': { uploads: (id) => `/v1/work-orders/${id}/uploads`, submit: (id) => `/v1/work-orders/${id}/completion` },
};

/** How long after the last photo's upload the submission waits for its ingest. */
const ingestGraceMs = 1200;

let database: Promise<IDBPDatabase<OutboxDb>> | undefined;

function db(): Promise<IDBPDatabase<OutboxDb>> {
  database ??= openDB<OutboxDb>('xiuhua-outbox', 1, {
    upgrade(upgrade) {
      const jobs = upgrade.createObjectStore('jobs', { keyPath: 'id' });
      jobs.createIndex('createdAt', 'createdAt');
    },
  });
  return database;
}

/** Every job, oldest first; the screens re-render when it changes. */
export const jobsStore = store<readonly Job[]>([]);

async function publish(): Promise<void> {
  jobsStore.set(await (await db()).getAllFromIndex('jobs', 'createdAt'));
}

async function put(job: Job): Promise<void> {
  await (await db()).put('jobs', job);
  await publish();
}

export interface NewJob {
  readonly kind: JobKind;
  readonly subjectId: string;
  readonly title: string;
  readonly body: Record<string, unknown>;
  readonly photos: readonly File[];
  readonly deadline?: string;
}

/** Queues a job (saved before anything is sent) and starts sending. Returns its id. */
export async function enqueue(input: NewJob): Promise<string> {
  const job: Job = {
    id: newKey(),
    kind: input.kind,
    subjectId: input.subjectId,
    title: input.title,
    createdAt: new Date().toISOString(),
    body: input.body,
    photos: input.photos.map((file) => ({ blob: file, name: file.name, slotKey: newKey(), uploaded: false })),
    submitKey: newKey(),
    state: 'queued',
    attempts: 0,
    ...(input.deadline === undefined ? {} : { deadline: input.deadline }),
  };
  await put(job);
  void drain();
  return job.id;
}

export async function forget(jobId: string): Promise<void> {
  await (await db()).delete('jobs', jobId);
  await publish();
}

/** A failure worth retrying (no signal, throttled, the API briefly unavailable). */
class Transient extends Error {
  constructor(
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}

/** What the crew reads when a request could not leave the phone. */
function noSignal(error: unknown): string {
  return `${t('networkDown')}（${error instanceof Error ? error.message : String(error)}）`;
}

async function send(path: string, key: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers = { ...(await requestHeaders()), 'content-type': 'application/json', 'idempotency-key': key };
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (error) {
    reachable(false);
    throw new Transient(noSignal(error));
  }
  reachable(true);
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status === 429 || response.status >= 500 || response.status === 401) {
    const retryAfter = Number(response.headers.get('retry-after') ?? '0');
    throw new Transient(problemText(json as Problem, response.status), Number.isFinite(retryAfter) ? retryAfter * 1000 : 0);
  }
  return { status: response.status, json };
}

async function uploadPhoto(job: Job, photo: QueuedPhoto): Promise<void> {
  const expired = photo.slot !== undefined && Date.parse(photo.slot.expiresAt) - Date.now() < 30_000;
  if (photo.slot === undefined || expired) {
    if (expired) photo.slotKey = newKey();
    const answer = await send(paths[job.kind].uploads(job.subjectId), photo.slotKey, { contentType: photo.blob.type || 'image/jpeg' });
    if (answer.status !== 201) throw new ApiProblem(answer.status, answer.json as Problem);
    photo.slot = answer.json as unknown as IssuedSlot;
    await put(job);
  }
  let response: Response;
  try {
    response = await postToS3(photo.slot, photo.blob, photo.name);
  } catch (error) {
    reachable(false);
    throw new Transient(noSignal(error));
  }
  if (response.status >= 500) throw new Transient(`S3 ${response.status}`);
  if (!response.ok) {
    // An expired or refused form: ask for a new slot next time.
    photo.slot = undefined;
    photo.slotKey = newKey();
    await put(job);
    throw new Transient(`S3 ${response.status}: ${(await response.text()).slice(0, 200)}`);
  }
  photo.uploaded = true;
  await put(job);
}

function onlyProcessing(json: Record<string, unknown>): boolean {
  const failures = json['failures'];
  return Array.isArray(failures) && failures.length > 0 && failures.every((failure) => (failure as { code?: string }).code === 'evidence-missing');
}

async function submit(job: Job): Promise<void> {
  const evidenceIds = job.photos.map((photo) => photo.slot!.evidenceId);
  const answer = await send(paths[job.kind].submit(job.subjectId), job.submitKey, { ...job.body, evidenceIds });
  if (answer.status === 422 && onlyProcessing(answer.json) && job.attempts < 8) {
    job.submitKey = newKey();
    throw new Transient('photos still processing', 1500 * 2 ** Math.min(job.attempts, 4));
  }
  const accepted = answer.status >= 200 && answer.status < 300;
  const json = answer.json;
  const flags = Array.isArray(json['flags']) ? (json['flags'] as { message?: string; zh?: string }[]).map((flag) => (language() === 'zh' ? flag.zh ?? flag.message ?? '' : flag.message ?? '')) : [];
  const id = [json['proofId'], json['orderId'], json['workOrderId']].find((value) => typeof value === 'string') as string | undefined;
  job.answer = {
    status: answer.status,
    accepted,
    ...(id === undefined ? {} : { id }),
    reasons: accepted ? [] : Array.isArray(json['reasons']) ? (json['reasons'] as string[]) : [problemText(json as Problem, answer.status)],
    flags,
  };
  job.state = accepted ? 'done' : 'refused';
  delete job.lastError;
  await put(job);
}

async function run(job: Job): Promise<void> {
  job.state = 'sending';
  job.attempts += 1;
  await put(job);
  try {
    let uploadedNow = false;
    for (const photo of job.photos) {
      if (photo.uploaded) continue;
      await uploadPhoto(job, photo);
      uploadedNow = true;
    }
    // S3 tells the ingest of each photo asynchronously (about a second in AWS): give it that
    // second rather than meet `evidence-missing` and store a refusal.
    if (uploadedNow) await new Promise((resolve) => setTimeout(resolve, ingestGraceMs));
    await submit(job);
  } catch (error) {
    if (error instanceof Transient) {
      job.state = 'queued';
      job.lastError = error.message;
      const delay = Math.max(error.retryAfterMs, 2000);
      job.notBefore = Date.now() + delay;
      retryIn(delay);
    } else if (error instanceof ApiProblem) {
      job.state = 'refused';
      job.answer = { status: error.status, accepted: false, reasons: [error.message] };
    } else {
      job.state = 'queued';
      job.lastError = String(error);
      job.notBefore = Date.now() + 10_000;
    }
    await put(job);
  }
}

let draining: Promise<void> | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

/** Tries again after a transient failure (the `online` event and the 30 s tick also do). */
function retryIn(delayMs: number): void {
  if (retryTimer !== undefined) clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    void drain();
  }, delayMs + 50);
}

/** Sends what is due, one job at a time (oldest first); safe to call at any moment. */
export function drain(): Promise<void> {
  draining ??= (async () => {
    try {
      for (;;) {
        const jobs = await (await db()).getAllFromIndex('jobs', 'createdAt');
        const due = jobs.find((job) => (job.state === 'queued' || job.state === 'sending') && (job.notBefore ?? 0) <= Date.now());
        if (due === undefined || !navigator.onLine) break;
        await run(due);
        if (due.state === 'queued') break; // failed transiently: wait for the next trigger
      }
    } finally {
      draining = undefined;
      await publish();
    }
  })();
  return draining;
}

/** Starts the outbox: publishes the saved jobs, sends on `online`, at start and every 30 s. */
export function startOutbox(): void {
  void (async () => {
    // A job left `sending` was cut off by a reload or a closed tab: it is queued again (each
    // step it finished is saved, and the keys make the rest safe to repeat).
    await release((job) => job.state === 'sending');
    await drain();
  })();
  addEventListener('online', () => {
    // The queue is tried now, whatever backoff a failure set while offline.
    void release(() => true).then(drain);
  });
  setInterval(() => void drain(), 30_000);
}

async function release(which: (job: Job) => boolean): Promise<void> {
  const store_ = await db();
  for (const job of await store_.getAll('jobs')) {
    if ((job.state !== 'queued' && job.state !== 'sending') || !which(job)) continue;
    job.state = 'queued';
    delete job.notBefore;
    await store_.put('jobs', job);
  }
  await publish();
}

/** Jobs of one subject, newest first (a task's screen shows its own). */
export function jobsOf(jobs: readonly Job[], subjectId: string): Job[] {
  return jobs.filter((job) => job.subjectId === subjectId).reverse();
}
