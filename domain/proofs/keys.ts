import { DateTime } from 'luxon';
import { decodeTaskId } from '../schedule/task-id';
import { subjectKindOf, type ProofSubjectKind } from './subjects';

/**
 * The S3 key layout of proof photos (DESIGN §5):
 * `proofs/{tenant}/{contract}/{yyyy-mm-dd}/{subjectId}/{uuid}.{ext}`, where the subject is what
 * the photo is evidence for (./subjects: a task, a rectification order, a work order or an inspection; DESIGN
 * §5 names the task, the first of them). This file is the one place
 * that writes or reads it. The server chooses every part (the phone never names a key), so
 * `proofKey` throws a RangeError on a bad part: that is a wiring mistake, not user input.
 * `parseProofKey` is strict because ingest uses it to tell our objects from anything else
 * that lands in the bucket.
 */

/** Allowed photo types and the one extension each is stored under. */
export const proofContentTypes = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/heic': 'heic',
  'image/webp': 'webp',
} as const;
export type ProofContentType = keyof typeof proofContentTypes;
export type ProofExtension = (typeof proofContentTypes)[ProofContentType];

export const allowedProofContentTypes = Object.keys(proofContentTypes) as ProofContentType[];

export function isProofContentType(value: unknown): value is ProofContentType {
  return typeof value === 'string' && Object.hasOwn(proofContentTypes, value);
}

const contentTypeByExtension = new Map<string, ProofContentType>(
  allowedProofContentTypes.map((type) => [proofContentTypes[type], type]),
);

export interface ProofKeyParts {
  readonly tenantId: string;
  readonly contractId: string;
  /** The subject's date in the tenant zone, `YYYY-MM-DD`. */
  readonly localDate: string;
  /** A task id of this contract, or a `rec_`/`wo_`/`ins_` id (./subjects). */
  readonly subjectId: string;
  /** Lower-case RFC 9562 UUID chosen by the server (injected, never generated here). */
  readonly uuid: string;
  readonly contentType: ProofContentType;
}

export const proofKeyPrefix = 'proofs/';

const tenantPattern = /^[a-z0-9][a-z0-9-]{1,39}$/;
const contractPattern = /^con_[0-9a-z]{10,40}$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Why the parts cannot form a key, or undefined when they can. */
function partProblem(parts: Omit<ProofKeyParts, 'contentType'>): string | undefined {
  if (!tenantPattern.test(parts.tenantId)) return `tenant '${parts.tenantId}' is not a tenant id`;
  if (!contractPattern.test(parts.contractId)) return `contract '${parts.contractId}' is not a contract id`;
  if (!datePattern.test(parts.localDate) || !DateTime.fromISO(parts.localDate, { zone: 'utc' }).isValid) {
    return `'${parts.localDate}' is not a calendar date`;
  }
  const kind = subjectKindOf(parts.subjectId);
  if (kind === undefined) return `'${parts.subjectId}' is not a task, rectification order, work order or inspection id`;
  if (kind === 'task') {
    // A task id names its contract; a key that puts it under another contract is forged or broken.
    // (Order and inspection ids do not encode their contract: the evidence item issued for the key carries it.)
    const task = decodeTaskId(parts.subjectId)!;
    if (task.contractId !== parts.contractId) return `task '${parts.subjectId}' belongs to contract '${task.contractId}', not '${parts.contractId}'`;
  }
  if (!uuidPattern.test(parts.uuid)) return `'${parts.uuid}' is not a lower-case UUID`;
  return undefined;
}

/** The key of one proof photo. Throws a RangeError for parts no proof can have. */
export function proofKey(parts: ProofKeyParts): string {
  const problem = partProblem(parts);
  if (problem !== undefined) throw new RangeError(`cannot build a proof key: ${problem}`);
  if (!isProofContentType(parts.contentType)) throw new RangeError(`cannot build a proof key: '${String(parts.contentType)}' is not an allowed photo type`);
  const ext = proofContentTypes[parts.contentType];
  return `${proofKeyPrefix}${parts.tenantId}/${parts.contractId}/${parts.localDate}/${parts.subjectId}/${parts.uuid}.${ext}`;
}

/** A parsed key: its parts and the kind of its subject. */
export interface ParsedProofKey extends ProofKeyParts {
  readonly subjectKind: ProofSubjectKind;
}

/**
 * The parts of a proof key, or undefined for any key `proofKey` could not have produced:
 * another prefix, a missing or extra level, a bad id, date, uuid or extension (`jpeg`, upper
 * case), a subject id of no known kind, or a task id that does not decode to the key's
 * contract. Never throws.
 */
export function parseProofKey(key: string): ParsedProofKey | undefined {
  if (typeof key !== 'string' || !key.startsWith(proofKeyPrefix) || key.length > 1024) return undefined;
  const levels = key.slice(proofKeyPrefix.length).split('/');
  if (levels.length !== 5) return undefined;
  const [tenantId, contractId, localDate, subjectId, file] = levels as [string, string, string, string, string];
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const contentType = contentTypeByExtension.get(file.slice(dot + 1));
  if (contentType === undefined) return undefined;
  const parts: ProofKeyParts = { tenantId, contractId, localDate, subjectId, uuid: file.slice(0, dot), contentType };
  if (partProblem(parts) !== undefined) return undefined;
  return { ...parts, subjectKind: subjectKindOf(subjectId)! };
}
