import * as z from 'zod';
import { CalendarDate } from '../dates';
import { proofFailureCodes, proofFlagCodes } from './checks';
import { proofSubjectKinds } from './subjects';

/**
 * A proof (作业凭证): one submission of photos, capture time and GPS for a subject (issue 5).
 * Every submission that reaches the checks is stored, accepted or refused, with what the
 * checks found, so a crew and an inspector see the same reasons later. A proof is never
 * deleted; review (reject, undo) is a new version with an appended review entry.
 *
 * Status:
 * - `accepted`: every check passed; its photos are claimed (photo claims) and the task's
 *   outcome is 'done' (same transaction).
 * - `refused`: some check failed (`failures`); nothing else was written, the task stays as it
 *   was and the crew may submit again.
 * - `rejected`: an inspector rejected an accepted proof (DESIGN §3): the task's outcome is
 *   'rejected'. Its photos stay claimed. An undo makes it `accepted` again.
 */

export const proofStatuses = ['accepted', 'refused', 'rejected'] as const;
export type ProofStatus = (typeof proofStatuses)[number];

export const reviewActions = ['reject', 'undo-rejection'] as const;
export type ReviewAction = (typeof reviewActions)[number];

/** `prf_` + ULID (lower case): time-ordered, so a contract-day lists in submission order. */
export const proofIdPattern = /^prf_[0-9a-z]{26}$/;

export const ProofFailureView = z
  .object({
    code: z.enum([...proofFailureCodes, 'duplicate']),
    message: z.string(),
    zh: z.string().optional().describe('the message in Chinese (zh-CN)'),
    evidenceId: z.string().optional(),
    otherProofId: z.string().optional(),
  })
  .meta({ id: 'ProofFailure' });
export type ProofFailureView = z.infer<typeof ProofFailureView>;

export const ProofFlagView = z
  .object({ code: z.enum(proofFlagCodes), message: z.string(), zh: z.string().optional(), evidenceId: z.string() })
  .meta({ id: 'ProofFlag' });

export const ReviewEntry = z
  .object({
    action: z.enum(reviewActions),
    by: z.string(),
    at: z.string().describe('ISO 8601 instant'),
    reason: z.string(),
    /** The proof version this review produced. */
    version: z.number().int().positive(),
  })
  .meta({ id: 'ProofReview' });
export type ReviewEntry = z.infer<typeof ReviewEntry>;

export const Proof = z
  .object({
    tenantId: z.string(),
    proofId: z.string(),
    subject: z.object({ kind: z.enum(proofSubjectKinds), id: z.string() }),
    contractId: z.string(),
    contractorId: z.string(),
    /** Tenant-local date of the subject (a task's window-start date): the contract-day it lists under. */
    localDate: CalendarDate,
    segmentId: z.string().optional(),
    /** Task proofs: the window the checks used. */
    windowStart: z.string().optional(),
    windowEnd: z.string().optional(),
    status: z.enum(proofStatuses),
    evidenceIds: z.array(z.string()),
    /** Distinct sha-256 of the photos (claimed when accepted). */
    photoHashes: z.array(z.string()),
    capturedAt: z.string().describe('ISO 8601 instant as claimed'),
    gps: z.object({ lon: z.number(), lat: z.number(), accuracyM: z.number() }),
    note: z.string().optional(),
    failures: z.array(ProofFailureView),
    flags: z.array(ProofFlagView),
    geofence: z.object({ distanceM: z.number(), limitM: z.number(), accuracyCreditM: z.number() }).optional(),
    submittedAt: z.string(),
    submittedBy: z.string(),
    version: z.number().int().positive(),
    reviews: z.array(ReviewEntry),
  })
  .meta({ id: 'Proof', description: '作业凭证: photos, capture time and GPS for a task, as checked' });
export type Proof = z.infer<typeof Proof>;

/**
 * Whether a proof waits in the inspectors' flagged-proof queue (issue 14): a task's proof,
 * accepted, carrying at least one flag (EXIF disagreements: accepted, but worth a look). A
 * rejection takes it out; undoing the rejection puts it back. The storage keeps the queue
 * from this rule alone, so the queue and the proof can never disagree.
 */
export function inFlaggedQueue(proof: Pick<Proof, 'subject' | 'status' | 'flags'>): boolean {
  return proof.subject.kind === 'task' && proof.status === 'accepted' && proof.flags.length > 0;
}
