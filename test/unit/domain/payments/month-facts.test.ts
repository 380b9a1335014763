import { describe, expect, it } from 'vitest';
import { assembleMonthFacts, monthDays, monthRulebook, monthScope, orderWindow } from '../../../../domain/payments/month-facts';
import { china2026Calendar } from '../../../../domain/schedule/calendar';
import { forEachTask } from '../../../../domain/schedule/derive';
import { cleaningStandard } from '../../../../domain/schedule/templates';
import { cleaningRulebook, contractId, seg, terms } from './fixtures';
import { answered, complaint, contract, correction, inspection, late, line, month, order, outcome, points, records, waiveLine, workOrder } from './month-records-fixtures';

/**
 * The payment rules of a contract-month's facts (assembleMonthFacts), on plain records: the
 * cleaning contract of fixtures.ts under the shipped cleaning-standard rulebook (a missed
 * sweep or wash costs 1.00 point and ¥100.00, patrol_clean and water 0.50 and ¥50.00, other
 * activities the default 0.50 and ¥50.00; CL-LITTER 2.00 points, CL-PILE-M 8.00 and ¥200.00,
 * CL-BIN 1.00 in facilities).
 */

describe('assembleMonthFacts: tasks', () => {
  it('prices each missed task by its activity, counts done ones, and dates every miss', () => {
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        outcomes: [
          outcome('tsk_1', '2025-06-02', 'missed', { activity: 'sweep' }),
          outcome('tsk_2', '2025-06-02', 'missed', { activity: 'patrol_clean' }),
          outcome('tsk_3', '2025-06-03', 'missed', { activity: 'wash', segmentId: seg.b }),
          outcome('tsk_4', '2025-06-03', 'missed', { activity: 'prune' }),
          outcome('tsk_5', '2025-06-04', 'done'),
        ],
      }),
    );

    expect(facts.facts.missedTasks).toEqual([
      { taskId: 'tsk_1', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 10_000 },
      { taskId: 'tsk_2', segmentId: seg.a, activity: 'patrol_clean', pointsX100: 50, fineFen: 5_000 },
      { taskId: 'tsk_3', segmentId: seg.b, activity: 'wash', pointsX100: 100, fineFen: 10_000 },
      // prune is not in the cleaning table: the rulebook's default price.
      { taskId: 'tsk_4', segmentId: seg.a, activity: 'prune', pointsX100: 50, fineFen: 5_000 },
    ]);
    expect(facts.facts).toMatchObject({ tasksDone: 1, tasksDue: 5 });
    expect(facts.taskDates).toEqual({ tsk_1: '2025-06-02', tsk_2: '2025-06-02', tsk_3: '2025-06-03', tsk_4: '2025-06-03' });
  });

  it('counts a task whose proof an inspector rejected as missed, naming the rejected proof', () => {
    const facts = assembleMonthFacts(contract, month, records({ outcomes: [outcome('tsk_r', '2025-06-10', 'rejected', { source: { kind: 'proof', proofId: 'prf_1' } })] }));

    expect(facts.facts.missedTasks).toEqual([{ taskId: 'tsk_r', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 10_000, proofIds: ['prf_1'] }]);
    expect(facts.facts.tasksDone).toBe(0);
  });

  it('prices misses by the rulebook in force in the month (an amendment from the 1st)', () => {
    const dearer = { ...cleaningRulebook(), missedTasks: { defaultPrice: { pointsX100: 50, fineFen: 5_000 }, byActivity: [{ activity: 'sweep', pointsX100: 300, fineFen: 30_000 }] } };
    const amended = { ...contract, versions: [...contract.versions, terms(2, '2025-06-01', [seg.a, seg.b], { kind: 'lump_sum', monthlyFen: 3_000_000 }, { rulebook: dearer })] };
    const outcomes = [outcome('tsk_1', '2025-05-20', 'missed'), outcome('tsk_2', '2025-06-20', 'missed')];

    const may = assembleMonthFacts(amended, '2025-05', records({ outcomes }));
    const june = assembleMonthFacts(amended, month, records({ outcomes }));

    expect(may.facts.missedTasks.map((task) => [task.taskId, task.pointsX100, task.fineFen])).toEqual([['tsk_1', 100, 10_000]]);
    expect(june.facts.missedTasks.map((task) => [task.taskId, task.pointsX100, task.fineFen])).toEqual([['tsk_2', 300, 30_000]]);
  });

  it("takes only the contract's outcomes dated in the month", () => {
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        outcomes: [
          outcome('tsk_may', '2025-05-31', 'missed'),
          outcome('tsk_jun', '2025-06-30', 'missed'),
          outcome('tsk_jul', '2025-07-01', 'done'),
          outcome('tsk_other', '2025-06-15', 'missed', { contractId: 'con_other' }),
        ],
      }),
    );

    expect(facts.facts.missedTasks.map((task) => task.taskId)).toEqual(['tsk_jun']);
    expect(facts.facts).toMatchObject({ tasksDue: 1, tasksDone: 0 });
  });

  it('derives the tasks due from the standard when the schedule is given, and passes refused proofs through', () => {
    const schedule = { standards: [], defaultStandard: cleaningStandard, calendar: china2026Calendar, exceptions: [] };
    const derived = forEachTask(
      {
        contract,
        standards: cleaningStandard,
        segments: new Map([
          [seg.a, { grade: 'branch', flags: [] }],
          [seg.b, { grade: 'alley', flags: [] }],
        ]),
        calendar: china2026Calendar,
        zone: 'Asia/Shanghai',
        range: { from: '2026-07-01', to: '2026-08-01' },
      },
      () => undefined,
    );

    const facts = assembleMonthFacts(contract, '2026-07', records({ schedule, proofsRefused: 4, outcomes: [outcome('tsk_1', '2026-07-01', 'done')] }));

    expect(derived).toBeGreaterThan(1);
    expect(facts.facts).toMatchObject({ tasksDue: derived, tasksDone: 1, proofsRefused: 4 });
  });

  it('never counts fewer tasks due than outcomes (a task the standard no longer derives still counts)', () => {
    // A standard without activities derives nothing; the outcomes recorded still count.
    const schedule = { standards: [], defaultStandard: { ...cleaningStandard, activities: [] }, calendar: china2026Calendar, exceptions: [] };
    const facts = assembleMonthFacts(contract, '2026-07', records({ schedule, outcomes: [outcome('tsk_1', '2026-07-01', 'done'), outcome('tsk_2', '2026-07-02', 'missed')] }));

    expect(facts.facts.tasksDue).toBe(2);
  });

  it('refuses a standard the terms name that the records lack (a wiring mistake)', () => {
    const named = { ...contract, versions: contract.versions.map((version) => ({ ...version, standardRef: { standardId: 'jingan-cleaning', version: 2 } })) };
    const schedule = { standards: [], defaultStandard: cleaningStandard, calendar: china2026Calendar, exceptions: [] };

    expect(() => assembleMonthFacts(named, '2026-07', records({ schedule }))).toThrow(/names standard jingan-cleaning v2/);
  });
});

describe('assembleMonthFacts: inspections', () => {
  it('charges each priced line as stored, escalation included, in its rulebook category', () => {
    // The third CL-DRAIN of the month on the segment: linear escalation priced it x3 when recorded.
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        inspections: [
          inspection('ins_1', '2025-06-05T02:00:00.000Z', [line('CL-PILE-M', 800, 20_000), line('CL-DRAIN', 600, 60_000, { ordinal: 3, factorBps: 30_000, unitPointsX100: 200, unitFineFen: 20_000 })]),
          inspection('ins_2', '2025-06-06T02:00:00.000Z', [line('CL-BIN', 100, 0)], { segmentId: seg.b }),
        ],
      }),
    );

    expect(facts.facts.findings).toEqual([
      { inspectionId: 'ins_1', segmentId: seg.a, itemCode: 'CL-PILE-M', category: 'road_cleanliness', pointsX100: 800, fineFen: 20_000, at: '2025-06-05T02:00:00.000Z' },
      { inspectionId: 'ins_1', segmentId: seg.a, itemCode: 'CL-DRAIN', category: 'road_cleanliness', pointsX100: 600, fineFen: 60_000, at: '2025-06-05T02:00:00.000Z' },
      { inspectionId: 'ins_2', segmentId: seg.b, itemCode: 'CL-BIN', category: 'facilities', pointsX100: 100, fineFen: 0, at: '2025-06-06T02:00:00.000Z' },
    ]);
  });

  it('names a line without an item by its source, in the inspection category, and leaves out lines that cost nothing', () => {
    const sample = line('x', 150, 0, { source: 'sampleScore', mode: 'none' });
    const { itemCode: _itemCode, ...sampleWithoutItem } = sample;
    const facts = assembleMonthFacts(contract, month, records({ inspections: [inspection('ins_1', '2025-06-05T02:00:00.000Z', [sampleWithoutItem, line('CL-LITTER', 0, 0), line('NOT-IN-BOOK', 100, 0)])] }));

    expect(facts.facts.findings.map((finding) => [finding.itemCode, finding.category, finding.pointsX100])).toEqual([
      ['sampleScore', 'inspection', 150],
      ['NOT-IN-BOOK', 'inspection', 100],
    ]);
  });

  it('replaces a corrected inspection by its correction', () => {
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        inspections: [inspection('ins_old', '2025-06-05T02:00:00.000Z', [line('CL-PILE-M', 800, 20_000)]), correction('ins_new', 'ins_old', '2025-06-05T02:30:00.000Z', [line('CL-LITTER', 200, 0)])],
      }),
    );

    expect(facts.facts.findings.map((finding) => [finding.inspectionId, finding.itemCode])).toEqual([['ins_new', 'CL-LITTER']]);
  });

  it('follows a chain of corrections to its last link, whatever order the records come in', () => {
    const chain = [
      correction('ins_c', 'ins_b', '2025-06-05T04:00:00.000Z', [line('CL-BIN', 100, 0)]),
      inspection('ins_a', '2025-06-05T02:00:00.000Z', [line('CL-PILE-M', 800, 20_000)]),
      correction('ins_b', 'ins_a', '2025-06-05T03:00:00.000Z', [line('CL-LITTER', 200, 0)]),
    ];

    const facts = assembleMonthFacts(contract, month, records({ inspections: chain }));

    expect(facts.facts.findings.map((finding) => finding.inspectionId)).toEqual(['ins_c']);
  });

  it("leaves out an inspection of another month (its findings are that month's)", () => {
    const facts = assembleMonthFacts(contract, month, records({ inspections: [inspection('ins_may', '2025-05-31T15:00:00.000Z', [line('CL-LITTER', 200, 0)], { month: '2025-05' })] }));

    expect(facts.facts.findings).toEqual([]);
  });

  it('waive_if_rectified: waived when the order closed on an answer in time, charged once it is late, nothing while undecided', () => {
    const due = '2025-06-05T04:00:00.000Z';
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        inspections: [
          inspection('ins_1', '2025-06-05T02:00:00.000Z', [
            waiveLine('CL-PILE-M', 800, 20_000, 'rec_fixed'),
            waiveLine('CL-PILE-M', 800, 20_000, 'rec_late'),
            waiveLine('CL-PILE-M', 800, 20_000, 'rec_open'),
            waiveLine('CL-PILE-M', 800, 20_000, 'rec_answered_late'),
            waiveLine('CL-PILE-M', 800, 20_000, 'rec_unknown'),
          ]),
        ],
        rectificationOrders: [
          order('rec_fixed', due, { mode: 'waive_if_rectified', status: 'closed', ...answered(due, -30) }),
          order('rec_late', due, { mode: 'waive_if_rectified', ...late(due, 0, 0) }),
          order('rec_open', due, { mode: 'waive_if_rectified' }),
          // Answered after the deadline but not yet marked late: still undecided here.
          order('rec_answered_late', due, { mode: 'waive_if_rectified', status: 'answered', ...answered(due, 30) }),
        ],
      }),
    );

    // rec_late: the un-waived deduction is the price of lateness (its own late penalty is 0);
    // rec_unknown: a provisional line whose order cannot be found is charged, not lost.
    expect(facts.facts.findings.map((finding) => [finding.pointsX100, finding.fineFen])).toEqual([
      [800, 20_000],
      [800, 20_000],
    ]);
    expect(facts.facts.lateOrders).toEqual([{ orderId: 'rec_late', itemCode: 'CL-LITTER', segmentId: seg.a, pointsX100: 0, fineFen: 0 }]);
  });

  it("decides a waive_if_rectified finding by an order due next month (a finding late in the month)", () => {
    const due = '2025-07-01T10:00:00.000Z';
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        inspections: [inspection('ins_1', '2025-06-30T10:00:00.000Z', [waiveLine('CL-PILE-M', 800, 20_000, 'rec_1')])],
        rectificationOrders: [order('rec_1', due, { mode: 'waive_if_rectified', status: 'closed', ...answered(due, -60) })],
      }),
    );

    expect(facts.facts.findings).toEqual([]);
    expect(facts.facts.ordersDue).toBe(0);
  });

  it('a deduct finding costs its points at once, and its late order the late penalty on top', () => {
    const due = '2025-06-05T03:00:00.000Z';
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        inspections: [inspection('ins_1', '2025-06-05T02:00:00.000Z', [line('CL-LITTER', 200, 0, { orderId: 'rec_1' })])],
        rectificationOrders: [order('rec_1', due, late(due, 200, 0))],
      }),
    );

    expect(facts.facts.findings.map((finding) => finding.pointsX100)).toEqual([200]);
    expect(facts.facts.lateOrders.map((late) => late.pointsX100)).toEqual([200]);
  });
});

describe('assembleMonthFacts: rectification orders', () => {
  it('takes the late orders due in the month with the penalty fixed when raised, and counts the on-time KPI', () => {
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        rectificationOrders: [
          order('rec_late', '2025-06-12T02:00:00.000Z', late('2025-06-12T02:00:00.000Z', 400, 20_000)),
          order('rec_ok', '2025-06-13T02:00:00.000Z', { status: 'closed', ...answered('2025-06-13T02:00:00.000Z', -60) }),
          order('rec_answered', '2025-06-14T02:00:00.000Z', { status: 'answered', ...answered('2025-06-14T02:00:00.000Z', -60) }),
          order('rec_open', '2025-06-15T02:00:00.000Z'),
          order('rec_complaint', '2025-06-16T02:00:00.000Z', { itemCode: undefined, ...late('2025-06-16T02:00:00.000Z', 200, 0) }),
          order('rec_next', '2025-07-02T02:00:00.000Z', late('2025-07-02T02:00:00.000Z', 400, 0)),
        ],
      }),
    );

    expect(facts.facts.lateOrders).toEqual([
      { orderId: 'rec_late', itemCode: 'CL-LITTER', segmentId: seg.a, pointsX100: 400, fineFen: 20_000 },
      // An order without an item (a complaint's) is named 'late'.
      { orderId: 'rec_complaint', itemCode: 'late', segmentId: seg.a, pointsX100: 200, fineFen: 0 },
    ]);
    // Answered in time counts as on time before the inspector closes it.
    expect(facts.facts).toMatchObject({ ordersDue: 5, ordersOnTime: 2 });
  });

  it('charges a withdrawn complaint order nothing, its late mark included, and leaves it out of the orders due', () => {
    // Prepare: two complaint orders marked late by the sweep; an inspector then found the second complaint invalid
    const due = '2025-06-16T02:00:00.000Z';
    const complaintOrigin = (complaintId: string) => ({ origin: { kind: 'complaint' as const, complaintId }, itemCode: undefined, mode: undefined });
    const withdrawal = { withdrawal: { at: '2025-06-17T02:00:00.000Z', by: 'usr_inspector_li', reason: '现场未见垃圾' } };

    // Act
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        rectificationOrders: [
          order('rec_kept', due, { ...complaintOrigin('cmp_kept'), ...late(due, 200, 0) }),
          order('rec_withdrawn', due, { ...complaintOrigin('cmp_withdrawn'), status: 'withdrawn', ...late(due, 200, 0), ...withdrawal }),
        ],
      }),
    );

    // Assess
    expect(facts.facts.lateOrders.map((late) => late.orderId)).toEqual(['rec_kept']);
    expect(facts.facts).toMatchObject({ ordersDue: 1, ordersOnTime: 0 });
  });

  it("attributes an order to the month of its due date in the tenant's zone", () => {
    // 16:30 UTC on 31 May is 00:30 on 1 June in Shanghai; 16:30 UTC on 30 June is 1 July there.
    const orders = [order('rec_a', '2025-05-31T16:30:00.000Z', late('2025-05-31T16:30:00.000Z', 100, 0)), order('rec_b', '2025-06-30T16:30:00.000Z', late('2025-06-30T16:30:00.000Z', 100, 0))];

    const shanghai = assembleMonthFacts(contract, month, records({ rectificationOrders: orders }));
    const utc = assembleMonthFacts(contract, month, records({ zone: 'UTC', rectificationOrders: orders }));

    expect(shanghai.facts.lateOrders.map((late) => late.orderId)).toEqual(['rec_a']);
    expect(utc.facts.lateOrders.map((late) => late.orderId)).toEqual(['rec_b']);
  });
});

describe('assembleMonthFacts: complaints', () => {
  it("counts the contract's complaints requested in the month and charges the valid ones their stored points", () => {
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        complaints: [
          complaint('cmp_a', '2025-06-20T02:00:00.000Z', { status: 'closed', ...points(200, '2025-06-20') }),
          complaint('cmp_b', '2025-06-21T02:00:00.000Z'),
          complaint('cmp_c', '2025-06-22T02:00:00.000Z', { status: 'closed', routing: undefined }),
          complaint('cmp_d', '2025-06-23T02:00:00.000Z', { ...points(200, '2025-06-23', { contractId: 'con_other' }) }),
        ],
      }),
    );

    expect(facts.facts.validComplaints).toEqual([{ complaintId: 'cmp_a', segmentId: seg.b, pointsX100: 200 }]);
    // cmp_c is routed nowhere: not this contract's.
    expect(facts.facts).toMatchObject({ complaintsReceived: 3, complaintsResolved: 1 });
  });

  it('counts a complaint verified valid and still rectifying as resolved, and charges it once', () => {
    // Act
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        complaints: [
          complaint('cmp_a', '2025-06-20T02:00:00.000Z', { status: 'rectifying', ...points(200, '2025-06-20') }),
          complaint('cmp_b', '2025-06-21T02:00:00.000Z', { status: 'routed' }),
          // Found invalid after a valid verdict: the withdrawn order took its points.
          complaint('cmp_c', '2025-06-22T02:00:00.000Z', { status: 'closed' }),
        ],
      }),
    );

    // Assess
    expect(facts.facts.validComplaints.map((valid) => valid.complaintId)).toEqual(['cmp_a']);
    expect(facts.facts).toMatchObject({ complaintsReceived: 3, complaintsResolved: 2 });
  });

  it("counts a complaint in the month of its request in the tenant's zone", () => {
    // 17:00 UTC on 31 May is 01:00 on 1 June in Shanghai; the points carry that local date.
    const facts = assembleMonthFacts(contract, month, records({ complaints: [complaint('cmp_a', '2025-05-31T17:00:00.000Z', { status: 'closed', ...points(200, '2025-06-01') }), complaint('cmp_b', '2025-06-30T17:00:00.000Z', points(200, '2025-07-01'))] }));

    expect(facts.facts.validComplaints.map((valid) => valid.complaintId)).toEqual(['cmp_a']);
    expect(facts.facts).toMatchObject({ complaintsReceived: 1, complaintsResolved: 1 });
  });

  it('names no segment for a valid complaint routed without one', () => {
    const routing = { ...complaint('cmp_a', '2025-06-20T02:00:00.000Z').routing!, segmentId: undefined } as never;
    const facts = assembleMonthFacts(contract, month, records({ complaints: [complaint('cmp_a', '2025-06-20T02:00:00.000Z', { routing, ...points(200, '2025-06-20') })] }));

    expect(facts.facts.validComplaints).toEqual([{ complaintId: 'cmp_a', pointsX100: 200 }]);
  });
});

describe('assembleMonthFacts: work orders', () => {
  it('pays the work orders accepted in the month at the accepted quantity, showing the quantity ordered when acceptance changed it', () => {
    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        workOrders: [
          workOrder('wo_1', '2025-06-10T02:00:00.000Z', month, 1_000),
          workOrder('wo_2', '2025-06-11T02:00:00.000Z', month, 1_250, { completion: { ...workOrder('wo_2', '2025-06-11T02:00:00.000Z', month, 1_500).completion! } }),
          workOrder('wo_3', '2025-06-12T02:00:00.000Z', month, 900, { estimatedQuantityMilli: 2_000, completion: undefined }),
          workOrder('wo_4', '2025-06-30T17:00:00.000Z', '2025-07', 1_000),
          workOrder('wo_5', '2025-06-13T02:00:00.000Z', month, 1_000, { status: 'rejected', decision: { outcome: 'rejected', reason: '不合格', at: '2025-06-13T02:00:00.000Z', by: 'usr' } }),
        ],
      }),
    );

    expect(facts.workOrders).toEqual([
      { workOrderId: 'wo_1', itemCode: 'M-02', quantityX1000: 1_000, acceptedOn: '2025-06-10', proofIds: ['ev_wo_1'] },
      { workOrderId: 'wo_2', itemCode: 'M-02', quantityX1000: 1_250, orderedQuantityX1000: 1_500, acceptedOn: '2025-06-11', proofIds: ['ev_wo_2'] },
      { workOrderId: 'wo_3', itemCode: 'M-02', quantityX1000: 900, orderedQuantityX1000: 2_000, acceptedOn: '2025-06-12', proofIds: [] },
    ]);
  });

  it("dates an acceptance in the tenant's zone", () => {
    // 15:00 UTC on 30 June is 23:00 in Shanghai: June's, dated the 30th.
    const facts = assembleMonthFacts(contract, month, records({ workOrders: [workOrder('wo_1', '2025-06-30T15:00:00.000Z', month, 1_000)] }));

    expect(facts.workOrders.map((fact) => fact.acceptedOn)).toEqual(['2025-06-30']);
  });

  it('charges a late completion its late charge as a late order, unless the penalty is the defect again', () => {
    const lateCompletion = (workOrderId: string, latePenalty: ReturnType<typeof workOrder>['latePenalty']) => {
      const base = workOrder(workOrderId, '2025-06-10T02:00:00.000Z', month, 1_000, { latePenalty });
      return { ...base, completion: { ...base.completion!, late: true } };
    };

    const facts = assembleMonthFacts(
      contract,
      month,
      records({
        rectificationOrders: [order('rec_1', '2025-06-12T02:00:00.000Z', late('2025-06-12T02:00:00.000Z', 400, 0))],
        workOrders: [lateCompletion('wo_1', { sameAsDefect: false, pointsX100: 100, fineFen: 3_000 }), lateCompletion('wo_2', { sameAsDefect: true }), lateCompletion('wo_3', { sameAsDefect: false, fineFen: 5_000 })],
      }),
    );

    // Rectification orders first, then the work orders' late charges.
    expect(facts.facts.lateOrders).toEqual([
      { orderId: 'rec_1', itemCode: 'CL-LITTER', segmentId: seg.a, pointsX100: 400, fineFen: 0 },
      { orderId: 'wo_1', itemCode: 'M-02', pointsX100: 100, fineFen: 3_000 },
      { orderId: 'wo_3', itemCode: 'M-02', pointsX100: 0, fineFen: 5_000 },
    ]);
  });
});

describe('assembleMonthFacts: the month', () => {
  it("lists the area of every segment in scope on some day of the month, amendments included, in id order", () => {
    const amended = { ...contract, versions: [...contract.versions, terms(2, '2025-06-16', [seg.c], { kind: 'lump_sum', monthlyFen: 3_000_000 })] };
    const segments = [...records().segments, { segmentId: seg.c, areaM2: 5_000, grade: 'primary' as const, flags: [] }, { segmentId: 'seg_elsewhere0000', areaM2: 1, grade: 'alley' as const, flags: [] }];

    const june = assembleMonthFacts(amended, month, records({ segments }));
    const july = assembleMonthFacts(amended, '2025-07', records({ segments }));

    expect(Object.entries(june.segmentAreasM2)).toEqual(Object.entries({ [seg.a]: 12_000, [seg.c]: 5_000, [seg.b]: 8_000 }).sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(july.segmentAreasM2).toEqual({ [seg.c]: 5_000 });
    expect([...monthScope(amended, month)].sort()).toEqual([seg.a, seg.b, seg.c].sort());
  });

  it('carries the contract, month and zone, with empty facts for a month without records', () => {
    const facts = assembleMonthFacts(contract, month, records({ zone: 'Asia/Urumqi' }));

    expect(facts.facts).toEqual({
      contractId,
      serviceType: 'cleaning',
      month,
      zone: 'Asia/Urumqi',
      findings: [],
      missedTasks: [],
      lateOrders: [],
      validComplaints: [],
      tasksDue: 0,
      tasksDone: 0,
      ordersDue: 0,
      ordersOnTime: 0,
      complaintsReceived: 0,
      complaintsResolved: 0,
      proofsRefused: 0,
    });
    expect(facts.workOrders).toEqual([]);
    expect(facts.taskDates).toEqual({});
  });

  it('refuses a month the contract was not in force in', () => {
    expect(() => assembleMonthFacts(contract, '2024-12', records())).toThrow(RangeError);
    expect(() => monthRulebook(contract, '2024-12')).toThrow(`contract '${contractId}' was not in force in 2024-12`);
  });

  it("reads orders from the month's first local midnight to the end of the next month, and lists the month's days", () => {
    expect(orderWindow(month, 'Asia/Shanghai')).toEqual({ from: '2025-05-31T16:00:00.000Z', to: '2025-07-31T16:00:00.000Z' });
    expect(orderWindow('2025-12', 'UTC')).toEqual({ from: '2025-12-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    expect(monthDays('2024-02')).toHaveLength(29);
    expect(monthDays(month).at(-1)).toBe('2025-06-30');
  });
});
