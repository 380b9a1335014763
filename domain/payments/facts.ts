import { createHash } from 'node:crypto';
import type { MonthFacts } from '../assessment/assess';
import type { Contract } from '../contracts/schema';
import type { AdjustmentFact, LineSources, OriginFacts, WorkOrderFact } from './statement';
import { canonicalJson } from './statement';

/**
 * The stored facts of one contract-month, already priced: what `assessMonth` and
 * `computeStatement` read. A `MonthFactsReader` (ports.ts) reads the records other modules
 * write (task outcomes, inspections, rectification orders, complaints, work orders, segments)
 * and `assembleMonthFacts` (month-facts.ts) prices them.
 */
export interface ContractMonthFacts {
  /** The assessment facts (findings, missed tasks, late orders, valid complaints, KPIs). */
  readonly facts: MonthFacts;
  /** m² of every segment in scope during the month (per-m² pricing). */
  readonly segmentAreasM2: Readonly<Record<string, number>>;
  /** Work orders accepted in the month. */
  readonly workOrders: readonly WorkOrderFact[];
  /** Tasks due in the month whose date is known per task id (line expansion: task → date). */
  readonly taskDates?: Readonly<Record<string, string>>;
}

/** The contract fields a statement depends on (not its status history or audit fields). */
export type StatementContract = Pick<Contract, 'contractId' | 'startDate' | 'endDate' | 'endedOn' | 'versions'>;

/**
 * Everything a computation depends on, in canonical form: hashing it gives `inputsDigest`.
 * Two computations with the same inputs give byte-identical statements (statement.ts), so an
 * equal digest means "nothing changed" and the close writes nothing.
 */
export interface ComputationInputs {
  readonly contract: StatementContract;
  readonly month: string;
  readonly monthFacts: ContractMonthFacts;
  readonly adjustments: readonly AdjustmentFact[];
}

/**
 * The sha-256 (hex) of the canonical JSON of the inputs, salted with the computation's rule
 * edition so a change of the formulas in code also counts as a change.
 */
export function inputsDigest(inputs: ComputationInputs): string {
  return createHash('sha256').update(`${computationEdition}\n`).update(canonicalJson(inputs)).digest('hex');
}

/**
 * Bump when statement.ts / assess.ts change what they compute from the same facts.
 * 2026-12: derived lines name the lines they derive from; adjustments keep their origin facts.
 * Not bumped for `formulaZh` (issue 15): a second rendering of the same figures changes no
 * amount, and a bump would turn every unchanged recompute into a new version.
 */
export const computationEdition = 'statement-2026-12';

/** The fields of a contract the statement reads (what the digest covers). */
export function statementContract(contract: Contract): StatementContract {
  return {
    contractId: contract.contractId,
    startDate: contract.startDate,
    endDate: contract.endDate,
    ...(contract.endedOn === undefined ? {} : { endedOn: contract.endedOn }),
    versions: contract.versions,
  };
}

/**
 * The records of an earlier month that an adjustment's `sources` name, from that month's facts
 * as recomputed (`recomputed`) and, for records no longer there (a finding corrected away after
 * approval), as approved (`approved`): what expanding the adjustment line shows of them.
 */
export function originFactsOf(sources: LineSources, recomputed: ContractMonthFacts, approved?: ContractMonthFacts): OriginFacts {
  const pick = <T>(ids: readonly string[] | undefined, idOf: (item: T) => string, lists: readonly (readonly T[] | undefined)[]): T[] => {
    const wanted = new Set(ids ?? []);
    const found = new Map<string, T[]>();
    for (const list of lists) {
      const fromThis = (list ?? []).filter((item) => wanted.has(idOf(item)) && !found.has(idOf(item)));
      for (const item of fromThis) found.set(idOf(item), [...(found.get(idOf(item)) ?? []), item]);
    }
    return [...found.values()].flat();
  };
  const both = <T>(of: (facts: ContractMonthFacts) => readonly T[] | undefined): (readonly T[] | undefined)[] => [of(recomputed), approved === undefined ? undefined : of(approved)];
  const missedTasks = pick(sources.taskIds, (task) => task.taskId, both((facts) => facts.facts.missedTasks));
  const taskIds = new Set(sources.taskIds ?? []);
  const taskDates = Object.fromEntries(
    [...Object.entries(approved?.taskDates ?? {}), ...Object.entries(recomputed.taskDates ?? {})].filter(([taskId]) => taskIds.has(taskId)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return {
    missedTasks,
    findings: pick(sources.inspectionIds, (finding) => finding.inspectionId, both((facts) => facts.facts.findings)),
    lateOrders: pick(sources.orderIds, (order) => order.orderId, both((facts) => facts.facts.lateOrders)),
    validComplaints: pick(sources.complaintIds, (complaint) => complaint.complaintId, both((facts) => facts.facts.validComplaints)),
    workOrders: pick(sources.workOrderIds, (order) => order.workOrderId, both((facts) => facts.workOrders)),
    taskDates,
  };
}
