import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessMonth } from '../../../../domain/assessment/assess';
import type { Inspection } from '../../../../domain/inspections/schema';
import { assembleMonthFacts } from '../../../../domain/payments/month-facts';
import type { ContractMonthRecords } from '../../../../domain/payments/ports';
import { canonicalJson } from '../../../../domain/payments/statement';
import type { RectificationOrder } from '../../../../domain/rectification/schema';
import { missedTaskPrice } from '../../../../domain/rulebooks/rules';
import { cleaningRulebook, seg } from './fixtures';
import { answered, complaint, contract, correction, inspection, late, line, month, order, outcome, points, records, waiveLine, workOrder } from './month-records-fixtures';

/**
 * Properties of assembleMonthFacts over generated records of June 2025 (and their
 * neighbours): the facts do not depend on the order the records arrive in, records of other
 * contracts or months change nothing, and the counts add up.
 */

const runs = { numRuns: 200 };
const zones = ['Asia/Shanghai', 'UTC', 'America/New_York'];
const activities = ['sweep', 'patrol_clean', 'wash', 'water', 'prune'];
const itemCodes = ['CL-LITTER', 'CL-PILE-M', 'CL-DRAIN', 'CL-BIN', 'CL-EVENT'];

/** An instant from mid-May to early August 2025 (UTC, as the stores write them). */
const instant = fc.integer({ min: Date.parse('2025-05-15T00:00:00Z') / 60_000, max: Date.parse('2025-08-05T00:00:00Z') / 60_000 }).map((minutes) => new Date(minutes * 60_000).toISOString());
const juneDate = fc.integer({ min: 1, max: 30 }).map((day) => `2025-06-${String(day).padStart(2, '0')}`);
const anyDate = instant.map((at) => at.slice(0, 10));
const ids = (prefix: string, max: number) => fc.integer({ min: 0, max }).map((n) => `${prefix}_${String(n).padStart(3, '0')}`);
const uniqueBy = <T>(items: T[], key: (item: T) => string): T[] => [...new Map(items.map((item) => [key(item), item])).values()];

const outcomes = fc
  .array(
    fc.record({ taskId: ids('tsk', 60), date: fc.oneof(juneDate, anyDate), status: fc.constantFrom('missed', 'done', 'rejected'), activity: fc.constantFrom(...activities), segment: fc.constantFrom(seg.a, seg.b) }),
    { maxLength: 25 },
  )
  .map((drawn) =>
    uniqueBy(drawn, (o) => o.taskId).map((o) => outcome(o.taskId, o.date, o.status as 'missed' | 'done' | 'rejected', { activity: o.activity, segmentId: o.segment, ...(o.status === 'rejected' ? { source: { kind: 'proof', proofId: `prf_${o.taskId}` } } : {}) })),
  );

const orders = fc
  .array(
    fc.record({ orderId: ids('rec', 12), dueAt: instant, state: fc.constantFrom('open', 'fixed', 'fixedLate', 'late'), waive: fc.boolean(), penalty: fc.constantFrom(0, 200, 400) }),
    { maxLength: 10 },
  )
  .map((drawn) =>
    uniqueBy(drawn, (o) => o.orderId).map((o): RectificationOrder => {
      const mode = o.waive ? 'waive_if_rectified' : 'deduct';
      if (o.state === 'fixed') return order(o.orderId, o.dueAt, { mode, status: 'closed', ...answered(o.dueAt, -30) });
      if (o.state === 'fixedLate') return order(o.orderId, o.dueAt, { mode, status: 'closed', ...answered(o.dueAt, 30), ...late(o.dueAt, o.waive ? 0 : o.penalty, 0) });
      if (o.state === 'late') return order(o.orderId, o.dueAt, { mode, ...late(o.dueAt, o.waive ? 0 : o.penalty, 0) });
      return order(o.orderId, o.dueAt, { mode });
    }),
  );

const inspections = fc
  .array(
    fc.record({
      inspectionId: ids('ins', 15),
      at: instant,
      supersedes: fc.option(ids('ins', 15), { nil: undefined }),
      lines: fc.array(fc.record({ itemCode: fc.constantFrom(...itemCodes), pointsX100: fc.constantFrom(0, 100, 200, 800), fineFen: fc.constantFrom(0, 20_000), waiveOrder: fc.option(ids('rec', 12), { nil: undefined }) }), { maxLength: 3 }),
    }),
    { maxLength: 10 },
  )
  .map((drawn) =>
    uniqueBy(drawn, (i) => i.inspectionId).map((i): Inspection => {
      const lines = i.lines.map((l) => (l.waiveOrder === undefined ? line(l.itemCode, l.pointsX100, l.fineFen) : waiveLine(l.itemCode, l.pointsX100, l.fineFen, l.waiveOrder)));
      // The stores file an inspection under its tenant-local month (Shanghai here).
      const local = new Date(Date.parse(i.at) + 8 * 3_600_000).toISOString();
      const placed = { localDate: local.slice(0, 10), month: local.slice(0, 7) };
      return i.supersedes === undefined || i.supersedes === i.inspectionId
        ? inspection(i.inspectionId, i.at, lines, placed)
        : { ...correction(i.inspectionId, i.supersedes, i.at, lines), ...placed };
    }),
  );

const complaints = fc
  .array(
    fc.record({ complaintId: ids('cmp', 20), requestedAt: instant, closed: fc.boolean(), valid: fc.boolean(), pointsX100: fc.constantFrom(100, 200) }),
    { maxLength: 8 },
  )
  .map((drawn) =>
    uniqueBy(drawn, (c) => c.complaintId).map((c) => {
      const localDate = new Date(Date.parse(c.requestedAt) + 8 * 3_600_000).toISOString().slice(0, 10);
      return complaint(c.complaintId, c.requestedAt, { status: c.closed ? 'closed' : 'routed', ...(c.valid ? points(c.pointsX100, localDate) : {}) });
    }),
  );

const workOrders = fc
  .array(fc.record({ workOrderId: ids('wo', 20), at: instant, accepted: fc.integer({ min: 1, max: 5_000 }), measured: fc.integer({ min: 1, max: 5_000 }), late: fc.boolean(), own: fc.boolean() }), { maxLength: 6 })
  .map((drawn) =>
    uniqueBy(drawn, (w) => w.workOrderId).map((w) => {
      const decisionMonth = new Date(Date.parse(w.at) + 8 * 3_600_000).toISOString().slice(0, 7);
      const base = workOrder(w.workOrderId, w.at, decisionMonth, w.accepted, { latePenalty: w.own ? { sameAsDefect: false, pointsX100: 100, fineFen: 3_000 } : { sameAsDefect: true } });
      return { ...base, completion: { ...base.completion!, measuredQuantityMilli: w.measured, late: w.late } };
    }),
  );

const recordsArb: fc.Arbitrary<ContractMonthRecords> = fc
  .record({ zone: fc.constantFrom(...zones), outcomes, orders, inspections, complaints, workOrders, proofsRefused: fc.nat({ max: 50 }) })
  .map((drawn) =>
    records({
      zone: drawn.zone,
      outcomes: drawn.outcomes,
      proofsRefused: drawn.proofsRefused,
      inspections: drawn.inspections,
      rectificationOrders: drawn.orders,
      complaints: drawn.complaints,
      workOrders: drawn.workOrders,
    }),
  );

/** The records with every list in an order drawn from `seed`. */
function shuffled(input: ContractMonthRecords, seed: number): ContractMonthRecords {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    // xorshift32: a reproducible permutation per seed.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  return {
    ...input,
    outcomes: shuffle(input.outcomes),
    inspections: shuffle(input.inspections),
    rectificationOrders: shuffle(input.rectificationOrders),
    complaints: shuffle(input.complaints),
    workOrders: shuffle(input.workOrders),
    segments: shuffle(input.segments),
  };
}

describe('assembleMonthFacts (properties)', () => {
  it('gives the same facts, byte for byte, whatever order the records arrive in', () => {
    fc.assert(
      fc.property(recordsArb, fc.integer(), (input, seed) => {
        expect(canonicalJson(assembleMonthFacts(contract, month, shuffled(input, seed)))).toBe(canonicalJson(assembleMonthFacts(contract, month, input)));
        // Not only canonically: the lists themselves come out in one order.
        expect(JSON.stringify(assembleMonthFacts(contract, month, shuffled(input, seed)))).toBe(JSON.stringify(assembleMonthFacts(contract, month, input)));
      }),
      runs,
    );
  });

  it("changes nothing for another contract's outcomes and complaints, or the accepted work orders of other months", () => {
    fc.assert(
      fc.property(recordsArb, (input) => {
        const noise: ContractMonthRecords = {
          ...input,
          outcomes: [...input.outcomes, outcome('tsk_other_1', '2025-06-10', 'missed', { contractId: 'con_other' }), outcome('tsk_other_2', '2025-07-10', 'missed')],
          complaints: [...input.complaints, complaint('cmp_other', '2025-06-10T02:00:00.000Z', { routing: { ...complaint('cmp_other', '2025-06-10T02:00:00.000Z').routing!, contractId: 'con_other' } })],
          workOrders: [...input.workOrders, workOrder('wo_other', '2025-04-10T02:00:00.000Z', '2025-04', 1_000)],
        };

        expect(canonicalJson(assembleMonthFacts(contract, month, noise))).toBe(canonicalJson(assembleMonthFacts(contract, month, input)));
      }),
      runs,
    );
  });

  it('adds up: each outcome of the month is done or one missed task priced by its activity; no superseded inspection is charged', () => {
    const rulebook = cleaningRulebook();
    fc.assert(
      fc.property(recordsArb, (input) => {
        const { facts, taskDates } = assembleMonthFacts(contract, month, input);
        const ofMonth = input.outcomes.filter((o) => o.localDate.startsWith(month));
        const superseded = new Set(input.inspections.flatMap((i) => (i.supersedes === undefined ? [] : [i.supersedes.inspectionId])));

        expect(facts.tasksDone + facts.missedTasks.length).toBe(ofMonth.length);
        expect(Object.keys(taskDates ?? {})).toHaveLength(facts.missedTasks.length);
        expect(facts.missedTasks.reduce((sum, task) => sum + task.fineFen, 0)).toBe(
          ofMonth.filter((o) => o.status !== 'done').reduce((sum, o) => sum + missedTaskPrice(rulebook, o.activity).fineFen, 0),
        );
        expect(facts.findings.every((finding) => !superseded.has(finding.inspectionId) && finding.pointsX100 + finding.fineFen > 0)).toBe(true);
        expect(facts.ordersOnTime).toBeLessThanOrEqual(facts.ordersDue);
        expect(facts.complaintsResolved).toBeLessThanOrEqual(facts.complaintsReceived);
        // And the assessment takes them as they are (no inconsistent facts, no id twice).
        expect(() => assessMonth(facts, rulebook)).not.toThrow();
      }),
      runs,
    );
  });
});
