import { decodeTaskId } from '../schedule/task-id';

/**
 * What a photo or a proof is evidence FOR. Four kinds share one upload, ingest and proof
 * machinery (issue 5: "Unit-rate work orders and rectification orders reuse the same upload
 * and proof machinery"; issue 6: "Photos reuse the evidence upload machinery"):
 * - `task`: a scheduled task (作业任务), id from domain/schedule/task-id (`tsk_…`);
 * - `rectification`: a rectification order (整改通知书), id `rec_` + ULID;
 * - `work_order`: a unit-rate work order (工单), id `wo_` + ULID;
 * - `inspection`: an inspection (检查), id `ins_` + ULID — the inspection's own id, allocated
 *   by its first upload BEFORE the inspection is recorded (the inspector photographs first and
 *   records the findings after). Unlike the other three, an inspector uploads these photos;
 *   the evidence item's contractorId is still the contractor whose work the photo shows (the
 *   contractor of the inspected contract), and `issuedBy` is the inspector.
 * The subject id is the fourth level of the S3 key layout
 * (`proofs/{tenant}/{contract}/{yyyy-mm-dd}/{subjectId}/{uuid}.{ext}`) and the partition of
 * its evidence items, so every photo is filed under exactly one subject.
 */
export const proofSubjectKinds = ['task', 'rectification', 'work_order', 'inspection'] as const;
export type ProofSubjectKind = (typeof proofSubjectKinds)[number];

export const rectificationOrderIdPattern = /^rec_[0-9a-z]{26}$/;
export const workOrderIdPattern = /^wo_[0-9a-z]{26}$/;
/** The same shape as domain/inspections/schema `inspectionIdPattern` (proofs do not import inspections). */
export const inspectionSubjectIdPattern = /^ins_[0-9a-z]{26}$/;

/** The kind of a subject id, or undefined for an id that is none of them (never throws). */
export function subjectKindOf(subjectId: string): ProofSubjectKind | undefined {
  if (typeof subjectId !== 'string') return undefined;
  if (rectificationOrderIdPattern.test(subjectId)) return 'rectification';
  if (workOrderIdPattern.test(subjectId)) return 'work_order';
  if (inspectionSubjectIdPattern.test(subjectId)) return 'inspection';
  return decodeTaskId(subjectId) === undefined ? undefined : 'task';
}
