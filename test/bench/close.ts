import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assessMonth, type ComplaintFact, type FindingFact, type LateOrderFact, type MissedTaskFact, type MonthFacts } from '../../domain/assessment/assess';
import { daysInMonth } from '../../domain/assessment/months';
import type { ContractPricing, ContractTerms } from '../../domain/contracts/schema';
import { computeStatement, rulebookForMonth, type StatementInput, type WorkOrderFact } from '../../domain/payments/statement';
import type { Rulebook } from '../../domain/rulebooks/schema';
import { rulebookFromTemplate, templateById } from '../../domain/rulebooks/templates';
import type { ServiceType } from '../../domain/service-types';
import type { BenchSection } from './section';

/**
 * Issue 7 "Benchmark": the monthly close of a city — 200 contracts over 20 000 segments,
 * ~1.2 M task occurrences, 1 M proofs, 50 k inspections, 10 k work orders — as the domain
 * computes it: `assessMonth` then `computeStatement` per contract (domain/assessment/assess.ts,
 * domain/payments/statement.ts). The data are generated as those functions' pure inputs: the
 * occurrences are drawn one by one (a seeded PRNG) and folded into each contract's facts —
 * counts for what the statement only counts (tasks due and done, proofs), a fact per source
 * for what becomes a line's source (missed tasks, findings, late orders, complaints, work
 * orders) — so 1 M items are never held at once, as the close never holds them.
 *
 * Targets: the domain CPU time of all 200 statements ≤ 1 s, peak heap ≤ 1 GB; and once the
 * statements' storage adapter (functions/adapters/dynamodb/month-facts.ts) exists, DynamoDB
 * requests per statement ≤ 1.2x the minimum the 1 MB Query page allows for the data read.
 * Measured in a child `node --expose-gc` (a collected heap to start from, nothing of the
 * runner counted). Run alone with `npx tsx test/bench/close.ts`.
 */
export const closeTargets = { maxCpuSeconds: 1, maxHeapBytes: 1024 * 1024 * 1024, maxRequestRatio: 1.2 } as const;

const month = '2026-07';
const zone = 'Asia/Shanghai';
const city = {
  contracts: 200,
  segments: 20_000,
  /** Task occurrences in the month, all contracts (≈ 100 segments x 2 a day x 31 days x 200 / 1.03). */
  tasks: 1_200_000,
  proofs: 1_000_000,
  inspections: 50_000,
  workOrders: 10_000,
} as const;
/** Of 200 contracts: 100 cleaning (lump sum), 50 greening (per m²), 50 municipal (unit rate). */
const mix: readonly { readonly serviceType: ServiceType; readonly count: number; readonly template: string }[] = [
  { serviceType: 'cleaning', count: 100, template: 'cleaning-standard' },
  { serviceType: 'greening', count: 50, template: 'greening-class1' },
  { serviceType: 'municipal', count: 50, template: 'municipal-roads' },
];
const rateCard = [
  { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 118_000 },
  { code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 },
  { code: 'M-03', nameZh: '修复护栏', unit: 'm', unitFen: 23_000 },
  { code: 'M-04', nameZh: '修补车行道坑槽', unit: 'm²', unitFen: 28_000 },
];
const repeats = 3;
const childFlag = '--close-bench-child';

/** Deterministic PRNG (mulberry32), as the scheduling bench: every run measures the same city. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const id = (prefix: string, n: number): string => `${prefix}_${n.toString(36).padStart(26, '0')}`;

/** One contract-month's inputs: the facts of its assessment and the rest of its statement input. */
export interface ContractMonth {
  readonly facts: MonthFacts;
  readonly input: Omit<StatementInput, 'assessment'>;
}

export interface GeneratedCity {
  readonly months: readonly ContractMonth[];
  readonly counts: { tasks: number; proofs: number; inspections: number; findings: number; missed: number; late: number; complaints: number; workOrders: number; segments: number };
}

/**
 * Draws the city-month. Per task occurrence: 83.3 % done with an accepted proof, 13.7 % done
 * without a photo proof (a supervisor's confirmation), 3 % missed — a third of those after a
 * refused proof, which the missed task names. Per inspection one or two findings of a random
 * defect item of the contract's rulebook; 10 % of the findings' orders end late; about 50
 * valid complaints per contract; 10 000 work orders accepted in the month on the unit-rate
 * contracts, 15 % with a quantity changed at acceptance.
 */
export function generateCity(seed = 7): GeneratedCity {
  const next = random(seed);
  const months: ContractMonth[] = [];
  const counts = { tasks: 0, proofs: 0, inspections: 0, findings: 0, missed: 0, late: 0, complaints: 0, workOrders: 0, segments: 0 };
  const segmentsPer = city.segments / city.contracts;
  const tasksPer = city.tasks / city.contracts;
  const inspectionsPer = city.inspections / city.contracts;
  const unitRateContracts = mix.find((entry) => entry.serviceType === 'municipal')!.count;
  const workOrdersPer = city.workOrders / unitRateContracts;
  const dim = daysInMonth(month);
  let c = 0;
  let serial = 0;
  for (const { serviceType, count, template } of mix) {
    const found = templateById(template);
    if (found === undefined) throw new Error(`rulebook template ${template} missing`);
    const rulebook = rulebookFromTemplate(found) as Rulebook;
    const activities = rulebook.missedTasks.byActivity.length > 0 ? rulebook.missedTasks.byActivity : [{ activity: 'task', ...rulebook.missedTasks.defaultPrice }];
    for (let k = 0; k < count; k += 1, c += 1) {
      const contractId = id('con', c + 1);
      const segmentIds = Array.from({ length: segmentsPer }, (_, s) => id('seg', c * segmentsPer + s + 1));
      counts.segments += segmentIds.length;
      const segmentAreasM2: Record<string, number> = {};
      for (const segmentId of segmentIds) segmentAreasM2[segmentId] = 800 + Math.floor(next() * 4_000);
      const pricing: ContractPricing =
        serviceType === 'cleaning'
          ? { kind: 'lump_sum', monthlyFen: 30_000_000 + Math.floor(next() * 40_000_000) }
          : serviceType === 'greening'
            ? { kind: 'lump_sum_per_m2', milliFenPerM2Year: 400_000 + Math.floor(next() * 400_000) }
            : { kind: 'unit_rate', items: rateCard };
      // A tenth of the contracts start mid-month (a partial first month).
      const startDate = c % 10 === 3 ? `${month}-${String(1 + Math.floor(next() * 20)).padStart(2, '0')}` : '2026-01-01';
      const terms: ContractTerms = { termsVersion: 1, effectiveFrom: startDate, scope: segmentIds, pricing, rulebook, recordedAt: '2026-01-01T00:00:00.000Z', recordedBy: 'usr_bench' };

      const missedTasks: MissedTaskFact[] = [];
      let tasksDone = 0;
      let proofsRefused = 0;
      for (let t = 0; t < tasksPer; t += 1) {
        counts.tasks += 1;
        const r = next();
        if (r < 0.833) {
          tasksDone += 1;
          counts.proofs += 1;
        } else if (r < 0.97) {
          tasksDone += 1;
        } else {
          serial += 1;
          const price = activities[t % activities.length]!;
          const refused = r > 0.99;
          if (refused) {
            proofsRefused += 1;
            counts.proofs += 1;
          }
          missedTasks.push({
            taskId: `tsk_${contractId.slice(4)}${t.toString(36).padStart(6, '0')}`,
            segmentId: segmentIds[t % segmentIds.length]!,
            activity: price.activity,
            pointsX100: price.pointsX100,
            fineFen: price.fineFen,
            ...(refused ? { proofIds: [id('prf', serial)] } : {}),
          });
        }
      }
      const findings: FindingFact[] = [];
      const lateOrders: LateOrderFact[] = [];
      let ordersDue = 0;
      for (let i = 0; i < inspectionsPer; i += 1) {
        counts.inspections += 1;
        serial += 1;
        const inspectionId = id('ins', serial);
        const segmentId = segmentIds[Math.floor(next() * segmentIds.length)]!;
        const day = 1 + Math.floor(next() * dim);
        const at = `${month}-${String(day).padStart(2, '0')}T0${Math.floor(next() * 10)}:15:00.000Z`;
        const findingCount = next() < 0.5 ? 1 : 2;
        for (let f = 0; f < findingCount; f += 1) {
          const item = rulebook.defectItems[Math.floor(next() * rulebook.defectItems.length)]!;
          const n = 1 + Math.floor(next() * 3);
          findings.push({ inspectionId: `${inspectionId}${f === 0 ? '' : `_${f}`}`, segmentId, itemCode: item.code, category: item.category, pointsX100: item.pointsX100 * n, fineFen: item.fineFen * n, at });
          counts.findings += 1;
          if (item.rectify !== undefined) {
            ordersDue += 1;
            if (next() < 0.1) {
              serial += 1;
              lateOrders.push({ orderId: id('rec', serial), itemCode: item.code, segmentId, pointsX100: rulebook.latePenalty.sameAsDefect ? item.pointsX100 : (rulebook.latePenalty.pointsX100 ?? 0), fineFen: rulebook.latePenalty.sameAsDefect ? item.fineFen : (rulebook.latePenalty.fineFen ?? 0) });
              counts.late += 1;
            }
          }
        }
      }
      const validComplaints: ComplaintFact[] = [];
      const complaints = 30 + Math.floor(next() * 40);
      for (let q = 0; q < complaints; q += 1) {
        serial += 1;
        validComplaints.push({ complaintId: id('cmp', serial), segmentId: segmentIds[Math.floor(next() * segmentIds.length)]!, pointsX100: rulebook.complaint.pointsX100 });
      }
      counts.complaints += complaints;
      const workOrders: WorkOrderFact[] = [];
      if (pricing.kind === 'unit_rate') {
        for (let w = 0; w < workOrdersPer; w += 1) {
          serial += 1;
          const quantityX1000 = 500 + Math.floor(next() * 5_000);
          const changed = next() < 0.15;
          const acceptedOn = `${month}-${String(Math.max(Number(startDate.slice(8)), 1 + Math.floor(next() * dim))).padStart(2, '0')}`;
          workOrders.push({
            workOrderId: id('wo', serial),
            itemCode: rateCard[w % rateCard.length]!.code,
            quantityX1000,
            ...(changed ? { orderedQuantityX1000: quantityX1000 + 250 } : {}),
            acceptedOn: startDate.startsWith(month) && acceptedOn < startDate ? startDate : acceptedOn,
            proofIds: [id('prf', serial)],
          });
          counts.workOrders += 1;
        }
      }
      months.push({
        facts: {
          contractId,
          serviceType,
          month,
          zone,
          findings,
          missedTasks,
          lateOrders,
          validComplaints,
          tasksDue: tasksPer,
          tasksDone,
          ordersDue: Math.max(ordersDue, lateOrders.length),
          ordersOnTime: Math.max(ordersDue, lateOrders.length) - lateOrders.length,
          complaintsReceived: complaints + 5,
          complaintsResolved: complaints,
          proofsRefused,
        },
        input: { contractId, month, contract: { startDate, endDate: '2027-12-31', versions: [terms] }, segmentAreasM2, workOrders, adjustments: [] },
      });
    }
  }
  return { months, counts };
}

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakHeap: number;
  readonly lines: number;
  readonly netFen: number;
}

interface ChildReport {
  readonly counts: GeneratedCity['counts'];
  readonly generateMs: number;
  readonly baseHeap: number;
  readonly runs: readonly Run[];
  readonly gcExposed: boolean;
  readonly node: string;
  readonly load: { readonly average: number; readonly cpus: number };
}

/** Every statement of the city-month once: assess, then compute. */
function closeAll(months: readonly ContractMonth[]): Run {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let peakHeap = process.memoryUsage().heapUsed;
  let lines = 0;
  let netFen = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < months.length; i += 1) {
    const { facts, input } = months[i]!;
    const rulebook = rulebookForMonth(input.contract, month);
    if (rulebook === undefined) throw new Error(`${facts.contractId} not in force in ${month}`);
    const assessment = assessMonth(facts, rulebook);
    const statement = computeStatement({ ...input, assessment });
    lines += statement.lines.length;
    netFen += statement.totals.netFen;
    // Sampled every 20 contracts (memoryUsage costs microseconds, not worth more often).
    if (i % 20 === 19) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, peakHeap, lines, netFen };
}

function child(): ChildReport {
  const gc = (globalThis as { gc?: () => void }).gc;
  const load = { average: loadavg()[0] ?? 0, cpus: cpus().length };
  gc?.();
  const generateStarted = performance.now();
  const { months, counts } = generateCity();
  const generateMs = performance.now() - generateStarted;
  gc?.();
  const baseHeap = process.memoryUsage().heapUsed;
  const runs = Array.from({ length: repeats + 1 }, () => closeAll(months));
  return { counts, generateMs, baseHeap, runs, gcExposed: gc !== undefined, node: process.version, load };
}

const mark = (ok: boolean): string => (ok ? 'PASS' : 'OVER');
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function printTable(rows: readonly string[][]): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of rows) {
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   '));
  }
}

function report(result: ChildReport): void {
  const { counts } = result;
  console.log(
    `city-month ${month}: ${int(city.contracts)} contracts (${mix.map((entry) => `${entry.count} ${entry.serviceType}`).join(', ')}; a tenth start mid-month), ` +
      `${int(counts.segments)} segments, ${int(counts.tasks)} task occurrences, ${int(counts.proofs)} proofs, ${int(counts.inspections)} inspections ` +
      `(${int(counts.findings)} findings, ${int(counts.late)} late orders), ${int(counts.complaints)} valid complaints, ${int(counts.workOrders)} work orders accepted`,
  );
  console.log(`facts generated in ${(result.generateMs / 1000).toFixed(1)} s (not timed below): counts for tasks and proofs, one fact per missed task, finding, late order, complaint and work order\n`);
  const [cold, ...warm] = result.runs;
  const cpuMs = median(warm.map((run) => run.cpuMs));
  const wallMs = median(warm.map((run) => run.wallMs));
  const peak = Math.max(...result.runs.map((run) => run.peakHeap));
  const row = (name: string, runWallMs: number, runCpuMs: number): string[] => [
    name,
    runWallMs.toFixed(0),
    runCpuMs.toFixed(0),
    (runWallMs / city.contracts).toFixed(2),
    mark(runCpuMs / 1000 <= closeTargets.maxCpuSeconds),
  ];
  printTable([
    [`close of all ${int(city.contracts)} statements (assessMonth + computeStatement)`, 'wall ms', 'cpu ms', 'ms/statement', `cpu ≤ ${closeTargets.maxCpuSeconds} s`],
    row('first run (includes JIT warm-up, as a fresh Lambda would)', cold?.wallMs ?? 0, cold?.cpuMs ?? 0),
    row(`warm (median of ${repeats})`, wallMs, cpuMs),
  ]);
  console.log(`
peak heap ${mb(peak)} (≤ ${mb(closeTargets.maxHeapBytes)}: ${mark(peak <= closeTargets.maxHeapBytes)})`);
  console.log(
    `${int(cold?.lines ?? 0)} statement lines, net total ${((cold?.netFen ?? 0) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} 元; ` +
      `every run gives the same (${result.runs.every((run) => run.netFen === cold?.netFen && run.lines === cold?.lines) ? 'yes' : 'NO — RESULTS DIFFER'}).`,
  );
  console.log(
    `peak heap: heapUsed sampled every 20 statements, largest over all runs; the facts alone hold ${mb(result.baseHeap)} after a collection` +
      `${result.gcExposed ? '' : ' (gc() was not exposed, so nothing was collected first)'}. Node ${result.node} ${process.arch}, load average ${result.load.average.toFixed(1)} on ${result.load.cpus} CPUs.`,
  );
}

/** The request-count half; pending until the statements' storage adapter exists. */
async function requestSection(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const adapter = path.resolve(path.dirname(self), '..', '..', 'functions/adapters/dynamodb/month-facts.ts');
  if (!existsSync(adapter)) {
    console.log(
      `\nDynamoDB requests per statement vs the 1 MB-page minimum (target ≤ ${closeTargets.maxRequestRatio}x): PENDING — ` +
        'functions/adapters/dynamodb/month-facts.ts (the statements’ storage adapter) is not in this tree yet.',
    );
    return;
  }
  await requestBench();
}

/** The city-month close, domain half measured in a child with --expose-gc, then the request counts. */
export const closeSection: BenchSection = {
  title: 'Payments: city-month close',
  async run(): Promise<void> {
    const self = fileURLToPath(import.meta.url);
    const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, childFlag], {
      cwd: path.resolve(path.dirname(self), '..', '..'),
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`the close bench child failed (exit ${String(result.status)}):\n${result.stderr}`);
    const last = result.stdout.trim().split('\n').pop() ?? '';
    report(JSON.parse(last) as ChildReport);
    await requestSection();
  },
};

// ---------------------------------------------------------------------------------------------
// DynamoDB requests per statement (DynamoMonthFactsReader on DynamoDB Local)

const tenantId = 'bench-city';
const mib = 1024 * 1024;
/** BatchGetItem takes at most 100 keys (DynamoDB API reference). */
const batchGetKeys = 100;

/**
 * DynamoDB's item size (Developer Guide, "Item sizes and formats"): attribute names plus
 * values — strings as UTF-8, numbers about 1 byte per two significant digits plus 1, booleans
 * and nulls 1, lists and maps 3 bytes plus 1 per element on top of their contents.
 */
export function itemBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, element) => sum + 1 + itemBytes(element), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [name, element]) => (element === undefined ? sum : sum + 1 + Buffer.byteLength(name, 'utf8') + itemBytes(element)), 0);
  }
  return 0;
}

interface StoredItem extends Record<string, unknown> {
  readonly pk: string;
  readonly sk: string;
}

/**
 * The stored items of one sampled contract-month, shaped as the stores write them (every
 * field the reader reads, and the others a real item carries, so the sizes are realistic):
 * task outcomes for every occurrence (done by proof, confirmed, missed by the sweep), proofs
 * per contract-day, inspections' contract-month copies, the contract's rectification orders,
 * work orders, and the scope's segments.
 */
function contractItems(month0: ContractMonth, next: () => number, keysOf: typeof import('../../functions/adapters/dynamodb/keys')['keys'], entity: typeof import('../../functions/adapters/dynamodb/keys')['entityTypes']): StoredItem[] {
  const { facts, input } = month0;
  const contractId = facts.contractId;
  const contractorId = `ctr_${contractId.slice(-16)}`;
  const items: StoredItem[] = [];
  const scope = Object.keys(input.segmentAreasM2);
  const dim = daysInMonth(month);
  const day = (n: number): string => `${month}-${String(n).padStart(2, '0')}`;
  const missed = new Set(facts.missedTasks.map((task) => task.taskId));
  const tasksPerDay = Math.ceil(facts.tasksDue / dim);
  let t = 0;
  let proofSerial = 0;
  for (let d = 1; d <= dim; d += 1) {
    for (let k = 0; k < tasksPerDay && t < facts.tasksDue; k += 1, t += 1) {
      const taskId = `tsk_${contractId.slice(4)}${t.toString(36).padStart(6, '0')}${'x'.repeat(26)}`;
      const segmentId = scope[t % scope.length]!;
      const hour = 5 + (k % 12);
      const windowStart = `${day(d)}T${String(hour).padStart(2, '0')}:00:00+08:00`;
      const windowEnd = `${day(d)}T${String(hour + 2).padStart(2, '0')}:30:00+08:00`;
      const isMissed = missed.has(`tsk_${contractId.slice(4)}${t.toString(36).padStart(6, '0')}`);
      const r = next();
      const withProof = !isMissed && r < 0.86;
      let proofId: string | undefined;
      if (withProof || (isMissed && r > 0.66)) {
        proofSerial += 1;
        proofId = id('prf', proofSerial + facts.tasksDue * 10);
        const refused = isMissed;
        items.push({
          ...keysOf.proof(tenantId, contractId, day(d), proofId),
          entity: entity.proof,
          tenantId,
          proofId,
          contractId,
          contractorId,
          subject: { kind: 'task', id: taskId },
          taskId,
          segmentId,
          localDate: day(d),
          status: refused ? 'refused' : 'accepted',
          evidenceIds: [`ev_${proofId.slice(4, 36)}`, `ev_${proofId.slice(5, 37)}`],
          photoHashes: [Math.floor(next() * 1e16).toString(16).padStart(64, 'a'), Math.floor(next() * 1e16).toString(16).padStart(64, 'b')],
          capturedAt: `${windowStart.slice(0, 14)}40:00+08:00`,
          gps: { lon: 121.45 + next() / 100, lat: 31.22 + next() / 100, accuracyM: 6 },
          note: '普扫完成',
          failures: refused ? [{ code: 'outside-geofence', message: `GPS ${80 + Math.floor(next() * 300)} m from segment '威海路(茂名北路—石门一路)', limit 50 m (accuracy ±6 m, 6 m credited)` }] : [],
          flags: [],
          geofence: { distanceM: Math.floor(next() * 40), limitM: 50, accuracyCreditM: 6 },
          submittedAt: `${day(d)}T0${hour % 10}:45:12.345Z`,
          submittedBy: 'usr_crew_0042',
          reviews: [],
          version: 1,
        });
      }
      items.push({
        ...keysOf.taskOutcome(tenantId, contractId, day(d), taskId),
        entity: entity.taskOutcome,
        tenantId,
        taskId,
        contractId,
        segmentId,
        activity: isMissed ? (facts.missedTasks.find((task) => task.taskId.startsWith(taskId.slice(0, 30)))?.activity ?? 'sweep') : 'sweep',
        windowStart,
        windowEnd,
        localDate: day(d),
        status: isMissed ? 'missed' : 'done',
        at: `${day(d)}T12:00:00.000Z`,
        source: proofId !== undefined && !isMissed ? { kind: 'proof', proofId } : { kind: 'sweep', runId: `swp_${day(d)}T13` },
      });
    }
  }
  // Inspections: one contract-month copy each, its findings priced; an order per rectifiable line.
  const byInspection = new Map<string, FindingFact[]>();
  for (const finding of facts.findings) {
    const inspectionId = finding.inspectionId.split('_').slice(0, 2).join('_');
    byInspection.set(inspectionId, [...(byInspection.get(inspectionId) ?? []), finding]);
  }
  const late = new Set(facts.lateOrders.map((order) => `${order.segmentId}|${order.itemCode}`));
  let orderSerial = 0;
  for (const [inspectionId, findings] of byInspection) {
    const first = findings[0]!;
    const orderIds: string[] = [];
    const lines = findings.map((finding, index) => {
      orderSerial += 1;
      const orderId = id('rec', orderSerial + facts.tasksDue * 20);
      orderIds.push(orderId);
      const dueAt = new Date(Date.parse(finding.at) + 4 * 3_600_000).toISOString();
      const isLate = late.has(`${finding.segmentId}|${finding.itemCode}`);
      items.push({
        ...keysOf.rectificationByContract(tenantId, contractId, dueAt, orderId),
        entity: entity.rectificationListing,
        tenantId,
        orderId,
        contractId,
        contractorId,
        segmentId: finding.segmentId,
        itemCode: finding.itemCode,
        origin: { kind: 'inspection', inspectionId, findingIndex: index },
        status: isLate ? 'open' : 'closed',
        raisedAt: finding.at,
        dueAt,
        description: '路面有果皮、纸屑、烟头等可见垃圾',
        answers: isLate ? [] : [{ at: new Date(Date.parse(finding.at) + 3_600_000).toISOString(), evidenceIds: [`ev_${orderId.slice(4)}`], gps: { lon: 121.46, lat: 31.22, accuracyM: 8 }, note: '已清理', by: 'usr_crew_0042' }],
        latePenalty: { pointsX100: finding.pointsX100, fineFen: finding.fineFen },
        ...(isLate ? { late: { at: dueAt, markedAt: dueAt, by: 'system', penalty: { pointsX100: finding.pointsX100, fineFen: finding.fineFen } } } : {}),
        version: isLate ? 2 : 3,
      });
      return { source: 'finding', findingIndex: index, itemCode: finding.itemCode, count: 1, ordinal: 1, factorBps: 10_000, unitPointsX100: finding.pointsX100, unitFineFen: finding.fineFen, pointsX100: finding.pointsX100, fineFen: finding.fineFen, mode: 'deduct', charge: 'final', orderId };
    });
    items.push({
      ...keysOf.inspectionByContractMonth(tenantId, contractId, month, first.at, inspectionId),
      entity: entity.inspectionListing,
      inspectionId,
      tenantId,
      contractId,
      contractorId,
      serviceType: facts.serviceType,
      termsVersion: 1,
      segmentId: first.segmentId,
      at: first.at,
      localDate: first.at.slice(0, 10),
      month,
      kind: 'patrol',
      gps: { lon: 121.45, lat: 31.22, accuracyM: 5 },
      inspectorIds: ['usr_inspector_li'],
      findings: findings.map((finding) => ({ itemCode: finding.itemCode, count: 1, note: '巡查发现' })),
      lines,
      totals: { pointsX100: findings.reduce((sum, f) => sum + f.pointsX100, 0), fineFen: findings.reduce((sum, f) => sum + f.fineFen, 0), provisionalPointsX100: 0, provisionalFineFen: 0 },
      orderIds,
      recordedAt: first.at,
      recordedBy: 'usr_inspector_li',
      version: 1,
    });
  }
  for (const order of input.workOrders) {
    const acceptedAt = `${order.acceptedOn}T06:30:00.000Z`;
    items.push({
      ...keysOf.workOrder(tenantId, contractId, order.workOrderId),
      entity: entity.workOrder,
      workOrderId: order.workOrderId,
      tenantId,
      contractId,
      contractorId,
      rateItemCode: order.itemCode,
      unit: 'm²',
      unitFen: 16_500,
      estimatedQuantityMilli: order.orderedQuantityX1000 ?? order.quantityX1000,
      location: { segmentId: scope[0]!, point: { lon: 121.4526, lat: 31.2234 } },
      description: '人行道板破损约 2 m²,请于两日内修复',
      deadline: `${order.acceptedOn}T12:00:00.000Z`,
      status: 'accepted',
      month,
      completion: { evidenceIds: order.proofIds ?? [], capturedAt: acceptedAt, gps: { lon: 121.4526, lat: 31.2234, accuracyM: 8 }, measuredQuantityMilli: order.orderedQuantityX1000 ?? order.quantityX1000, late: false, photoHashes: ['c'.repeat(64)], note: '实测', at: acceptedAt, by: 'usr_crew_0042' },
      decision: { outcome: 'accepted', acceptedQuantityMilli: order.quantityX1000, month, at: acceptedAt, by: 'usr_inspector_li', ...(order.orderedQuantityX1000 === undefined ? {} : { reason: '复测面积' }) },
      latePenalty: { sameAsDefect: true },
      version: 3,
    });
  }
  for (const segmentId of scope) {
    items.push({
      ...keysOf.segment(tenantId, segmentId),
      entity: entity.segment,
      segmentId,
      tenantId,
      name: '威海路(茂名北路—石门一路)',
      street: '南京西路街道',
      grade: 'branch',
      flags: [],
      widthM: 12,
      lengthM: 420,
      areaM2: input.segmentAreasM2[segmentId]!,
      geometry: { type: 'LineString', coordinates: [[121.455, 31.228], [121.4562, 31.2284], [121.4575, 31.2289]] },
      status: 'active',
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  }
  return items;
}

/** The tenant's complaints of the month (one partition for the whole city), a share routed to the sampled contracts. */
function complaintItems(months: readonly ContractMonth[], next: () => number, keysOf: typeof import('../../functions/adapters/dynamodb/keys')['keys'], entity: typeof import('../../functions/adapters/dynamodb/keys')['entityTypes'], ulidAt: (ms: number) => string): StoredItem[] {
  const items: StoredItem[] = [];
  const start = Date.parse(`${month}-01T00:00:00+08:00`);
  const span = daysInMonth(month) * 86_400_000;
  for (const { facts } of months) {
    for (const complaint of facts.validComplaints) {
      const requested = start + Math.floor(next() * span);
      const complaintId = `cmp_${ulidAt(requested)}`;
      const requestedAt = new Date(requested).toISOString();
      // The request's tenant-local date (Asia/Shanghai, UTC+8 all year).
      const localDate = new Date(requested + 8 * 3_600_000).toISOString().slice(0, 10);
      items.push({
        ...keysOf.complaint(tenantId, complaintId),
        entity: entity.complaint,
        complaintId,
        tenantId,
        serviceCode: 'CL-LITTER',
        description: '人行道上有大量纸屑和烟头,已经好几天没人打扫了',
        lat: 31.2231 + next() / 100,
        lon: 121.45 + next() / 100,
        requestedAt,
        status: 'closed',
        routing: { segmentId: complaint.segmentId, contractId: facts.contractId, contractorId: `ctr_${facts.contractId.slice(-16)}`, orderId: `rec_${complaintId.slice(4)}`, routedAt: requestedAt },
        points: { pointsX100: complaint.pointsX100, contractId: facts.contractId, contractorId: `ctr_${facts.contractId.slice(-16)}`, localDate },
        verification: { valid: true, reason: '经核实属实', at: requestedAt, by: 'usr_inspector_li' },
        statusNotes: '经核实属实,已责令整改',
        reopenTokenHash: 'd'.repeat(64),
        version: 3,
      });
    }
  }
  return items;
}

/** Writes the sample, reads each sampled statement's facts with the reader, and compares request counts with the minimum. */
async function requestBench(): Promise<void> {
  const [{ startDynamoDbLocal }, { ensureTables, localTableName }, { localDynamoClient }, { DynamoDBDocumentClient, BatchWriteCommand }, { DynamoMonthFactsReader }, { keys: keysOf, entityTypes }, { ulid }, { mainTable }] =
    await Promise.all([
      import('../../infra/local/dynamodb-local'),
      import('../../infra/local/resources'),
      import('../../infra/local/aws'),
      import('@aws-sdk/lib-dynamodb'),
      import('../../functions/adapters/dynamodb/month-facts'),
      import('../../functions/adapters/dynamodb/keys'),
      import('ulid'),
      import('../../infra/definitions'),
    ]);
  const { months } = generateCity();
  // One contract of each pricing: lump sum (cleaning), per m² (greening), unit rate (municipal).
  const sample = [months[0]!, months[100]!, months[150]!];
  const next = random(11);
  const items = [
    ...sample.flatMap((entry) => contractItems(entry, next, keysOf, entityTypes)),
    ...complaintItems(months, next, keysOf, entityTypes, (ms) => ulid(ms).toLowerCase()),
  ];
  const bytesByPk = new Map<string, number>();
  const itemsByPk = new Map<string, number>();
  const sizeByEntity = new Map<string, { count: number; bytes: number }>();
  for (const item of items) {
    const size = itemBytes(item);
    bytesByPk.set(item.pk, (bytesByPk.get(item.pk) ?? 0) + size);
    itemsByPk.set(item.pk, (itemsByPk.get(item.pk) ?? 0) + 1);
    const entity = String(item['entity']);
    const seen = sizeByEntity.get(entity) ?? { count: 0, bytes: 0 };
    sizeByEntity.set(entity, { count: seen.count + 1, bytes: seen.bytes + size });
  }

  const started = Date.now();
  const ddb = await startDynamoDbLocal();
  const base = localDynamoClient(ddb.endpoint);
  try {
    await ensureTables(base);
    const table = localTableName(mainTable);
    const writer = DynamoDBDocumentClient.from(base);
    const batches: StoredItem[][] = [];
    for (let at = 0; at < items.length; at += 25) batches.push(items.slice(at, at + 25));
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (cursor < batches.length) {
          let pending: Record<string, unknown>[] | undefined = batches[cursor++]!.map((Item) => ({ PutRequest: { Item } }));
          for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
            if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
            const result = await writer.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
            pending = result.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
          }
        }
      }),
    );
    const writeSeconds = (Date.now() - started) / 1000;

    // The counter: an SDK middleware on the reader's document client, one count per command sent.
    const reader = DynamoDBDocumentClient.from(base);
    const sent: Record<string, number> = {};
    reader.middlewareStack.add(
      (nextHandler, context) => async (args) => {
        const name = context.commandName ?? '?';
        sent[name] = (sent[name] ?? 0) + 1;
        // DynamoDB Local applies the 1 MB page to the items it returns, not to those it reads
        // before a FilterExpression (a filtered 7.8 MB range came back in one page); DynamoDB
        // applies it to the data read. So each Query without its own Limit gets the number of
        // its partition's items that fit in 1 MiB, which pages it as DynamoDB would.
        const input = args.input as { Limit?: number; ExpressionAttributeValues?: Record<string, unknown> };
        const pk = String(input.ExpressionAttributeValues?.[':pk'] ?? '');
        const stored = itemsByPk.get(pk);
        if (name === 'QueryCommand' && input.Limit === undefined && stored !== undefined && stored > 0) {
          input.Limit = Math.max(1, Math.floor(mib / ((bytesByPk.get(pk) ?? 0) / stored)));
        }
        return nextHandler(args);
      },
      { step: 'initialize', name: 'benchRequestCounter' },
    );
    const rows: string[][] = [['statement (sampled contract)', 'items read', 'MB read', 'requests', 'minimum', 'ratio', `≤ ${closeTargets.maxRequestRatio}x`, 'read ms', 'missed/findings/late/complaints/work orders']];
    const dim = daysInMonth(month);
    const days = Array.from({ length: dim }, (_, d) => `${month}-${String(d + 1).padStart(2, '0')}`);
    let worst = 0;
    for (const entry of sample) {
      const { contractId, serviceType } = entry.facts;
      const contract = { contractId, tenantId, serviceType, status: 'active', ...entry.input.contract } as unknown as import('../../domain/contracts/schema').Contract;
      const partitions = [
        ...days.map((day) => keysOf.taskOutcomesPartition(tenantId, contractId, day)),
        ...days.map((day) => keysOf.proofsPartition(tenantId, contractId, day)),
        keysOf.inspectionsOfContractMonth(tenantId, contractId, month),
        keysOf.rectificationsOfContract(tenantId, contractId),
        keysOf.complaintsPartition(tenantId),
        keysOf.workOrdersPartition(tenantId, contractId),
      ];
      const scopeSize = Object.keys(entry.input.segmentAreasM2).length;
      const bytesRead = partitions.reduce((sum, pk) => sum + (bytesByPk.get(pk) ?? 0), 0) + scopeSize * (sizeByEntity.get(entityTypes.segment)!.bytes / sizeByEntity.get(entityTypes.segment)!.count);
      const minimum = partitions.reduce((sum, pk) => sum + Math.max(1, Math.ceil((bytesByPk.get(pk) ?? 0) / mib)), 0) + Math.ceil(scopeSize / batchGetKeys);
      const itemsRead = items.filter((item) => partitions.includes(item.pk)).length + scopeSize;
      for (const name of Object.keys(sent)) delete sent[name];
      const readStarted = performance.now();
      const facts = await new DynamoMonthFactsReader(reader, table).read(tenantId, contract, month);
      const readMs = performance.now() - readStarted;
      const requests = Object.values(sent).reduce((sum, n) => sum + n, 0);
      const ratio = requests / minimum;
      worst = Math.max(worst, ratio);
      const f = facts.facts;
      rows.push([
        `${contractId} ${serviceType}`,
        int(itemsRead),
        (bytesRead / mib).toFixed(1),
        `${requests} (${Object.entries(sent).map(([name, n]) => `${n} ${name.replace('Command', '')}`).join(', ')})`,
        String(minimum),
        `${ratio.toFixed(2)}x`,
        mark(ratio <= closeTargets.maxRequestRatio),
        readMs.toFixed(0),
        `${f.missedTasks.length}/${f.findings.length}/${f.lateOrders.length}/${f.validComplaints.length}/${facts.workOrders.length}`,
      ]);
    }
    console.log(`\nDynamoDB requests per statement (DynamoMonthFactsReader.read on DynamoDB Local, counted by an SDK middleware on its document client):\n`);
    printTable(rows);
    const complaintsMb = (bytesByPk.get(keysOf.complaintsPartition(tenantId)) ?? 0) / mib;
    console.log(
      `\nminimum = Σ over the partitions read of max(1, ceil(bytes / 1 MiB)) + ceil(scope / ${batchGetKeys}) BatchGets; bytes by DynamoDB's item-size rules over the items written. ` +
        `DynamoDB Local does not apply the 1 MB page to data read before a FilterExpression, so the counter gives each Query a Limit of the items of its partition that fit in 1 MiB (DynamoDB's own paging, emulated). ` +
        `read ms is DynamoDB Local's speed, not DynamoDB's. ` +
        `Worst ratio ${worst.toFixed(2)}x (${mark(worst <= closeTargets.maxRequestRatio)}).`,
    );
    console.log(
      `sample: ${int(items.length)} items written in ${writeSeconds.toFixed(0)} s — ` +
        [...sizeByEntity].map(([entity, { count, bytes }]) => `${int(count)} ${entity} (~${Math.round(bytes / count)} B)`).join(', ') +
        `. The tenant's complaint partition (${complaintsMb.toFixed(1)} MB, the whole city's month) is read by every statement for its ~50 complaints: the minimum counts it, so the ratio measures paging, not that partition choice.`,
    );
  } finally {
    base.destroy();
    await ddb.stop();
  }
}

const invoked = process.argv[1] === undefined ? '' : path.resolve(process.argv[1]);
if (invoked === fileURLToPath(import.meta.url)) {
  if (process.argv.includes(childFlag)) {
    process.stdout.write(`${JSON.stringify(child())}\n`);
  } else {
    console.log(`\n## ${closeSection.title}\n`);
    await closeSection.run();
  }
}
