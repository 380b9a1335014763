import type { TaskView } from '../schedule/use-cases';
import type { Proof } from './schema';

/**
 * The inspectors' day report of one contract (issue 5 "Review and reports"):
 * - completed without proof: tasks whose status is 'done' while no accepted (unrejected)
 *   proof of that day names them — an outcome written without a proof, or a proof record
 *   lost or altered since; either way the task's "done" cannot be trusted;
 * - proof without task: accepted proofs whose task is not among the day's derived tasks —
 *   the scope was amended or the segment suspended after the proof, so the work was done
 *   for a task the schedule no longer has (inspectors decide whether it counts).
 * Rejected and refused proofs are neither: they prove nothing.
 */

export interface ProofReport {
  readonly contractId: string;
  readonly date: string;
  readonly counts: {
    readonly tasks: number;
    readonly done: number;
    readonly acceptedProofs: number;
    readonly completedWithoutProof: number;
    readonly proofWithoutTask: number;
  };
  readonly completedWithoutProof: readonly { readonly taskId: string; readonly segmentId: string; readonly activity: string; readonly windowStart: string }[];
  readonly proofWithoutTask: readonly { readonly proofId: string; readonly taskId: string; readonly segmentId?: string; readonly submittedAt: string }[];
}

/** Pure: the report from the day's derived tasks (with statuses) and its stored proofs. */
export function buildProofReport(contractId: string, date: string, tasks: readonly TaskView[], proofs: readonly Proof[]): ProofReport {
  const accepted = proofs.filter((proof) => proof.status === 'accepted' && proof.subject.kind === 'task');
  const proved = new Set(accepted.map((proof) => proof.subject.id));
  const derived = new Set(tasks.map((task) => task.taskId));
  const completedWithoutProof = tasks
    .filter((task) => task.status === 'done' && !proved.has(task.taskId))
    .map((task) => ({ taskId: task.taskId, segmentId: task.segmentId, activity: task.activity, windowStart: task.windowStart }));
  const proofWithoutTask = accepted
    .filter((proof) => !derived.has(proof.subject.id))
    .map((proof) => ({ proofId: proof.proofId, taskId: proof.subject.id, ...(proof.segmentId === undefined ? {} : { segmentId: proof.segmentId }), submittedAt: proof.submittedAt }));
  return {
    contractId,
    date,
    counts: {
      tasks: tasks.length,
      done: tasks.filter((task) => task.status === 'done').length,
      acceptedProofs: accepted.length,
      completedWithoutProof: completedWithoutProof.length,
      proofWithoutTask: proofWithoutTask.length,
    },
    completedWithoutProof,
    proofWithoutTask,
  };
}
