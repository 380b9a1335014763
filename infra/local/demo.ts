/**
 * `npm run demo`: a whole month of xiuhua driven through the HTTP API of a local stack of its
 * own (issue 7 "The demo"), printed step by step as a new user would follow it:
 * tender → award → today's tasks → proofs (one accepted, one refused for a reused photo, one
 * refused 300 m away) → an inspector's rejection → an inspection with two findings → an
 * Open311 complaint routed to the contractor, verified by an inspector, which raises its
 * rectification order → a late rectification and the overdue
 * sweep run twice → a work order on the unit-rate contract → the monthly statement, its
 * lines expanded to their sources, review, approval, a refused second approval and the XLSX
 * export.
 *
 * It starts DynamoDB Local and s3rver in memory on free ports (infra/local/stack.ts, as
 * `npm start` does), seeds the demo district (seed.ts), serves the API on a free loopback
 * port and calls it with fetch; photos go to s3rver through the presigned POST, and s3rver's
 * ObjectCreated notifications reach proof ingest as in `npm start` (object-events.ts).
 * Everything stops at the end; only the export is kept, under ./.local/exports/.
 *
 *   npm run demo
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalStack } from './stack';

/** The repository root (the statements routes are looked for there). */
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface DemoOptions {
  /** Where each line goes; default console.log. */
  readonly print?: (line: string) => void;
  /** Folder for the downloaded export; default ./.local/exports. */
  readonly exportsDir?: string;
}

/** A status the demo saw, for the test and the summary. */
export interface DemoOutcome {
  readonly month: string;
  readonly proofs: { readonly accepted: number; readonly reused: number; readonly far: number; readonly firstProofId: string; readonly reuseNamesFirst: boolean; readonly farDistanceM: number | undefined };
  readonly rejectedTaskStatus: string | undefined;
  readonly inspection: { readonly status: number; readonly pointsX100: number; readonly fineFen: number; readonly findings: number };
  readonly complaint: { readonly status: number; readonly orderContractorId: string | undefined };
  readonly sweep: { readonly firstMarked: number; readonly secondMarked: number; readonly lateOnce: boolean };
  readonly workOrder: { readonly completed: number; readonly accepted: number; readonly acceptedQuantityMilli: number | undefined };
  /** Absent while the statements routes are not there yet. */
  readonly statement?: {
    readonly computed: number;
    readonly lines: number;
    readonly linesExpanded: number;
    readonly reviewed: number;
    readonly reviewerApproval: number;
    readonly reviewerApprovalRules: readonly string[];
    readonly runningMonthApproval: number;
    readonly runningMonthApprovalRules: readonly string[];
    readonly exportPath: string | undefined;
  };
}

/** A step that did not answer as the demo expects: printed with the API's answer, then the demo stops. */
export class DemoStepError extends Error {
  override readonly name = 'DemoStepError';
}

interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: T;
}

interface CallOptions {
  readonly token: string;
  readonly body?: unknown;
  readonly form?: Readonly<Record<string, string>>;
  readonly ifMatch?: number | string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The headers and body of an API call made by a script (this demo, the fault suite's month):
 * the bearer token (none for Open311's public routes: token ''), a form or JSON body, If-Match.
 */
export function scriptRequest(userAgent: string, options: Pick<CallOptions, 'token' | 'body' | 'form' | 'ifMatch'>): { headers: Record<string, string>; body: string | undefined } {
  const headers: Record<string, string> = { 'user-agent': userAgent, ...(options.token === '' ? {} : { authorization: `Bearer ${options.token}` }) };
  let body: string | undefined;
  if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    body = new URLSearchParams(options.form as Record<string, string>).toString();
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  return { headers, body };
}

type Json = Record<string, unknown>;

/** Runs the demo on a fresh in-memory stack and stops it; resolves with what it saw. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  const print = options.print ?? ((line: string) => console.log(line));
  const started = Date.now();
  print('xiuhua demo — one month of street cleaning and municipal upkeep in 静安区, through the HTTP API');
  print('Starting a local stack of its own (DynamoDB Local + s3rver, in memory, free ports)…');
  const { startLocalStack } = await import('./stack');
  const stack = await startLocalStack();
  const stopObjectEvents: Array<() => void> = [];
  let server: { url: string; close(): Promise<void> } | undefined;
  try {
    const [{ createHttpAdapter, serveHttp }, { seedDemo, demoTenantId }, { startObjectEventHandlers }, { DynamoDBDocumentClient }, { localDynamoClient }, { DynamoTenantDirectory }] =
      await Promise.all([
        import('./http-adapter'),
        import('./seed'),
        import('./object-events'),
        import('@aws-sdk/lib-dynamodb'),
        import('./aws'),
        import('../../functions/adapters/dynamodb/task-outcome-store'),
      ]);
    // Handlers log refusals at INFO; the demo prints its own account of each answer.
    const env = { POWERTOOLS_LOG_LEVEL: process.env['POWERTOOLS_LOG_LEVEL'] ?? 'ERROR', ...stack.env };
    const adapter = createHttpAdapter({ env, logger: { error: (message, error) => print(`  [api] ${message} ${String(error)}`), request: () => undefined } });
    await adapter.preload();
    const seeded = await seedDemo({ dynamodbEndpoint: stack.dynamodb.endpoint, tableName: stack.tables.main, dispatch: adapter.dispatch });
    // The sweeps read the tenant registry; photos reach ingest through s3rver's notifications.
    const client = DynamoDBDocumentClient.from(localDynamoClient(stack.dynamodb.endpoint));
    await new DynamoTenantDirectory(client, stack.tables.main).register(demoTenantId);
    client.destroy();
    Object.assign(process.env, env);
    stopObjectEvents.push(startObjectEventHandlers(stack.s3, { print: (line) => print(`  [s3 event] ${line}`) }));
    server = await serveHttp(adapter.dispatch, { port: 0 });
    print(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s: API ${server.url}, S3 ${stack.s3.endpoint}, tenant ${demoTenantId}.`);
    if ('problem' in seeded.procurement) throw new DemoStepError(`the demo seed is incomplete: ${seeded.procurement.problem}`);
    return await demoMonth({ print, stack, baseUrl: server.url, procurement: seeded.procurement, exportsDir: resolve(options.exportsDir ?? '.local/exports') });
  } finally {
    for (const stop of stopObjectEvents) stop();
    await stack.s3.idle().catch(() => undefined);
    await Promise.allSettled([server?.close(), stack.stop()]);
  }
}

interface MonthInput {
  readonly print: (line: string) => void;
  readonly stack: LocalStack;
  readonly baseUrl: string;
  readonly procurement: import('./seed-procurement').ProcurementSeedOutcome;
  readonly exportsDir: string;
}

async function demoMonth(input: MonthInput): Promise<DemoOutcome> {
  const { print, stack, baseUrl, procurement } = input;
  const [{ demoTenantId, demoTenant, demoUsers, demoToken, demoOpen311ApiKey }, { devToken }, { localDate, addDays }, { formatYuan, fen, formatX100 }, { jpegWithExif }, { demoContractors }, { contractorIdFor }] =
    await Promise.all([
      import('./seed'),
      import('./dev-auth'),
      import('../../domain/dates'),
      import('../../domain/money'),
      import('./photos'),
      import('./seed-procurement'),
      import('../../domain/contractors/identity'),
    ]);
  const zone = demoTenant.zone;
  const tokenOf = (role: string): Promise<string> => demoToken(demoUsers.find((user) => user.role === role)!);
  const [procurementToken, inspectorToken, financeToken, crewToken] = await Promise.all(['procurement', 'inspector', 'finance', 'contractor'].map(tokenOf)) as [string, string, string, string];
  const municipalContractorId = contractorIdFor(demoTenantId, demoContractors.municipal.code);
  const municipalCrewToken = await devToken({ role: 'contractor', tenantId: demoTenantId, contractorId: municipalContractorId, sub: 'demo-municipal-crew' });
  const yuan = (amount: number): string => formatYuan(fen(amount));
  const points = (x100: number): string => formatX100(x100);

  async function call<T = Json>(method: string, path: string, options: CallOptions): Promise<Answer<T>> {
    // Open311 is public: no token there.
    const { headers, body } = scriptRequest('xiuhua-demo', options);
    Object.assign(headers, options.headers);
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json: json as T };
  }
  function expect<T>(answer: Answer<T>, status: number, what: string): T {
    if (answer.status !== status) throw new DemoStepError(`${what}: expected ${status}, got ${answer.status} ${answer.text.slice(0, 600)}`);
    return answer.json;
  }
  async function listAll<T>(path: string, token: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = expect(
        await call<{ items: T[]; nextCursor?: string }>('GET', `${path}${path.includes('?') ? '&' : '?'}limit=200${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, { token }),
        200,
        `listing ${path}`,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return items;
  }
  const step = (n: number, title: string): void => print(`\n${n}. ${title}`);
  const say = (line: string): void => print(`   ${line}`);

  // ---- 1. Tender → bids → award (the seed ran it through the API a moment ago) -----------
  const tender = procurement.tender;
  const cleaning = procurement.contracts.cleaning;
  const municipal = procurement.contracts.municipal;
  step(1, 'Tender → bids → award (opened, bid, evaluated and awarded by the seed through the API)');
  const evaluation = expect(await call<{ rows: Json[]; scoreRule: string }>('GET', `/v1/tenders/${tender.tenderId}/lots/${tender.lotId}/evaluation`, { token: procurementToken }), 200, 'reading the evaluation');
  say(`${tender.tenderId} “${tender.title}” is ${tender.status}; lot ${tender.lotId}, ${evaluation.rows.length} bids:`);
  for (const row of [...evaluation.rows].sort((a, b) => Number(a['rank'] ?? 99) - Number(b['rank'] ?? 99))) {
    const price = row['price'] as { monthlyFen?: number };
    say(`  #${String(row['rank'] ?? '-')} ${String(row['contractorName'] ?? row['contractorId'])}: ${price.monthlyFen === undefined ? '' : `${yuan(price.monthlyFen)}/month, `}total ${row['totalX100'] === undefined ? '-' : points(Number(row['totalX100']))}`);
  }
  say(`Awarded → contract ${cleaning.contractId} (${cleaning.status}, ${cleaning.segmentCount} segments, ${cleaning.startDate} to ${cleaning.endDate}).`);
  say(`Also active: the unit-rate municipal contract ${municipal.contractId} (${municipal.segmentCount} segments).`);

  // ---- 2. Today's tasks for the cleaning contractor ----------------------------------------
  const now = new Date();
  const today = localDate(now, zone);
  step(2, `Today's tasks for the cleaning contractor (${today}, ${zone})`);
  const todays = await listAll<TaskLike>(`/v1/contracts/${cleaning.contractId}/tasks?date=${today}`, crewToken);
  const byActivity = new Map<string, number>();
  for (const task of todays) byActivity.set(task.activity, (byActivity.get(task.activity) ?? 0) + 1);
  say(`${todays.length} tasks today: ${[...byActivity].map(([activity, count]) => `${count} ${activity}`).join(', ')}.`);
  // A proof's capture time must lie in the window and not in the future: take windows that
  // have begun; before the first window of the day, yesterday's (a task takes proofs until
  // the end of the next day).
  let proofDate = today;
  let candidates = startedTasks(todays, now);
  if (candidates.length < 3 && addDays(today, -1) >= cleaning.startDate) {
    proofDate = addDays(today, -1);
    candidates = startedTasks(await listAll<TaskLike>(`/v1/contracts/${cleaning.contractId}/tasks?date=${proofDate}`, crewToken), now);
    say(`No window has opened yet today (it is ${localTime(now, zone)}): the crew works on yesterday's (${proofDate}) tasks, which take proofs until tonight.`);
  }
  const segmentsById = new Map<string, SegmentLike>();
  const segmentOf = async (segmentId: string): Promise<SegmentLike> => {
    let found = segmentsById.get(segmentId);
    if (found === undefined) {
      found = expect(await call<SegmentLike>('GET', `/v1/segments/${segmentId}`, { token: procurementToken }), 200, `reading segment ${segmentId}`);
      segmentsById.set(segmentId, found);
    }
    return found;
  };
  // Three tasks of one window on three line segments.
  const picked: TaskLike[] = [];
  for (const task of candidates) {
    if (picked.length === 3) break;
    if (picked.length > 0 && (task.windowStart !== picked[0]!.windowStart || task.activity !== picked[0]!.activity)) continue;
    if (picked.some((other) => other.segmentId === task.segmentId)) continue;
    if ((await segmentOf(task.segmentId)).geometry.type !== 'LineString') continue;
    picked.push(task);
  }
  if (picked.length < 3) throw new DemoStepError(`fewer than three started tasks on line segments (${candidates.length} candidates): run the demo again after 05:00 ${zone}`);
  const [taskA, taskB, taskC] = picked as [TaskLike, TaskLike, TaskLike];
  const capturedAt = captureTime(taskA, now);
  for (const task of picked) {
    say(`  ${task.taskId}: ${task.activity} ${task.windowStart.slice(11, 16)}–${task.windowEnd.slice(11, 16)} on “${(await segmentOf(task.segmentId)).name}”, ${task.minPhotos} photos, ${task.status}`);
  }

  // ---- 3. Photos through the presigned POST, ingested on the S3 event ---------------------
  step(3, 'Photos: an upload slot per photo, a real multipart POST to S3, ingest on the ObjectCreated event');
  let photoCounter = 0;
  const photoAt = async (task: TaskLike): Promise<Buffer> => {
    photoCounter += 1;
    const n = photoCounter;
    const [lon, lat] = startPoint(await segmentOf(task.segmentId));
    // Every photo distinct (a few seconds apart, another size), as two shots of a phone are.
    return jpegWithExif({ capturedAt: new Date(Date.parse(capturedAt) - n * 7_000), lon, lat, padToBytes: 24_000 + n * 7 });
  };
  async function upload(path: string, token: string, photos: readonly Buffer[]): Promise<string[]> {
    const evidenceIds: string[] = [];
    for (const bytes of photos) {
      const slot = expect(await call<{ evidenceId: string; url: string; fields: Record<string, string> }>('POST', path, { token, body: { contentType: 'image/jpeg' } }), 201, `asking ${path} for an upload`);
      const form = new FormData();
      for (const [name, value] of Object.entries(slot.fields)) form.append(name, value);
      form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
      const posted = await fetch(slot.url, { method: 'POST', body: form });
      if (posted.status >= 300) throw new DemoStepError(`S3 refused the presigned POST: ${posted.status} ${await posted.text()}`);
      evidenceIds.push(slot.evidenceId);
    }
    // s3rver notifies asynchronously; wait until every ObjectCreated has been handled.
    await stack.s3.idle();
    return evidenceIds;
  }
  const photosA = await Promise.all(Array.from({ length: Math.max(2, taskA.minPhotos) }, () => photoAt(taskA)));
  const evidenceA = await upload(`/v1/tasks/${taskA.taskId}/uploads`, crewToken, photosA);
  say(`${evidenceA.length} JPEGs (with EXIF time and GPS) posted to ${stack.s3.endpoint} and ingested: ${evidenceA.join(', ')}.`);

  // ---- 4. Proofs: accepted, refused for reuse, refused for distance ------------------------
  step(4, 'Proofs');
  const claim = async (task: TaskLike, evidenceIds: readonly string[], southM = 0): Promise<Json> => {
    const [lon, lat] = startPoint(await segmentOf(task.segmentId));
    return { evidenceIds, capturedAt, gps: { lon, lat: lat - southM / 111_195, accuracyM: 6 }, note: '普扫完成' };
  };
  const accepted = await call<Json>('POST', `/v1/tasks/${taskA.taskId}/proofs`, { token: crewToken, body: await claim(taskA, evidenceA) });
  const first = expect(accepted, 201, 'submitting the first proof');
  const firstProofId = String(first['proofId']);
  say(`POST /v1/tasks/${taskA.taskId}/proofs → ${accepted.status}: proof ${firstProofId} ${String(first['status'])} (captured ${capturedAt} at the segment, inside the window).`);

  const evidenceB = await upload(`/v1/tasks/${taskB.taskId}/uploads`, crewToken, [photosA[0]!, ...(await Promise.all(Array.from({ length: Math.max(1, taskB.minPhotos - 1) }, () => photoAt(taskB))))]);
  const reused = await call<{ reasons?: string[]; failures?: Array<{ code: string; otherProofId?: string }> }>('POST', `/v1/tasks/${taskB.taskId}/proofs`, { token: crewToken, body: await claim(taskB, evidenceB) });
  const reuseNamesFirst = reused.status === 422 && (reused.json.failures ?? []).some((failure) => failure.code === 'photo-reused' && failure.otherProofId === firstProofId);
  say(`Another task with one of the same photos → ${reused.status}: ${(reused.json.reasons ?? [reused.text]).join('; ')}`);

  const evidenceC = await upload(`/v1/tasks/${taskC.taskId}/uploads`, crewToken, await Promise.all(Array.from({ length: Math.max(2, taskC.minPhotos) }, () => photoAt(taskC))));
  const far = await call<{ reasons?: string[] }>('POST', `/v1/tasks/${taskC.taskId}/proofs`, { token: crewToken, body: await claim(taskC, evidenceC, 300) });
  const farReason = (far.json.reasons ?? []).find((reason) => /GPS \d+ m/.test(reason));
  const farDistanceM = farReason === undefined ? undefined : Number(/GPS (\d+) m/.exec(farReason)![1]);
  say(`A proof claimed 300 m south of its segment → ${far.status}: ${(far.json.reasons ?? [far.text]).join('; ')}`);

  // ---- 5. The inspector rejects the first proof --------------------------------------------
  step(5, 'The inspector rejects the accepted proof');
  const rejected = expect(await call<Json>('POST', `/v1/proofs/${firstProofId}/rejection`, { token: inspectorToken, ifMatch: Number(first['version'] ?? 1), body: { reason: '照片未见清扫后路面' } }), 200, 'rejecting the proof');
  const afterReject = await listAll<TaskLike>(`/v1/contracts/${cleaning.contractId}/tasks?date=${proofDate}&segmentId=${taskA.segmentId}`, crewToken);
  const rejectedTaskStatus = afterReject.find((task) => task.taskId === taskA.taskId)?.status;
  say(`Proof ${firstProofId} is now ${String(rejected['status'])}; task ${taskA.taskId} shows “${rejectedTaskStatus}” — it no longer counts as done.`);

  // ---- 6. An inspection with two findings --------------------------------------------------
  step(6, 'An inspection with two findings (cleaning-standard rulebook)');
  const inspected = await call<{ inspection: Json & { lines: Json[]; totals: { pointsX100: number; fineFen: number } }; orders: Json[] }>('POST', '/v1/inspections', {
    token: inspectorToken,
    body: { segmentId: taskB.segmentId, serviceType: 'cleaning', at: new Date(Date.now() - 60_000).toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-PILE-M', count: 1 }, { itemCode: 'CL-BIN', count: 2 }] },
  });
  const inspection = expect(inspected, 201, 'recording the inspection').inspection;
  say(`POST /v1/inspections → ${inspected.status}: ${String(inspection['inspectionId'])} on “${(await segmentOf(taskB.segmentId)).name}”`);
  for (const line of inspection.lines) {
    say(`  ${String(line['itemCode'] ?? line['source'])} x${String(line['count'])}: ${points(Number(line['pointsX100']))} points, fine ${yuan(Number(line['fineFen']))} (${String(line['charge'])}${line['orderId'] === undefined ? '' : `, order ${String(line['orderId'])}`})`);
  }
  say(`  Total: ${points(inspection.totals.pointsX100)} points, fines ${yuan(inspection.totals.fineFen)}; ${inspected.json.orders.length} rectification order(s) raised.`);

  // ---- 7. A citizen's complaint (Open311) ----------------------------------------------------
  step(7, 'A citizen complains through Open311 GeoReport v2');
  const [cLon, cLat] = startPoint(await segmentOf(taskC.segmentId));
  const complained = await call<Json[]>('POST', '/open311/v2/requests.json', {
    token: '',
    // The demo client app's api_key, which the seed issued (infra/local/seed.ts).
    form: { jurisdiction_id: demoTenantId, api_key: demoOpen311ApiKey, service_code: 'CL-LITTER', lat: String(cLat + 0.0001), long: String(cLon), description: '人行道上有大量纸屑和烟头' },
  });
  const serviceRequestId = String(expect(complained, 201, 'posting the Open311 request')[0]?.['service_request_id']);
  say(`POST /open311/v2/requests.json → ${complained.status}: service_request_id ${serviceRequestId}, about 11 m from “${(await segmentOf(taskC.segmentId)).name}”.`);
  // A citizen's report is not yet an order: an inspector verifies it on site first (issue 13).
  const routedComplaint = expect(await call<Json & { version: number }>('GET', `/v1/complaints/${serviceRequestId}`, { token: inspectorToken }), 200, 'reading the complaint');
  const verified = expect(
    await call<Json & { routing?: { orderId?: string } }>('POST', `/v1/complaints/${serviceRequestId}/verification`, {
      token: inspectorToken,
      ifMatch: routedComplaint.version,
      body: { valid: true, reason: '现场核实：人行道纸屑烟头较多', publicNote: '经现场核实，问题属实，已责令作业单位清扫' },
    }),
    200,
    'verifying the complaint',
  );
  const complaintOrderId = verified.routing?.orderId ?? `rec_${serviceRequestId.slice('cmp_'.length)}`;
  const complaintOrder = expect(await call<Json>('GET', `/v1/rectification-orders/${complaintOrderId}`, { token: crewToken }), 200, 'reading the complaint order');
  say(`An inspector verifies it as valid: POST /v1/complaints/${serviceRequestId}/verification → 200 (${String(verified['status'])}; the citizen reads “${String(verified['statusNotes'])}”).`);
  say(`That raises rectification order ${complaintOrderId} for ${String(complaintOrder['contractorId'])} (the cleaning contractor), due ${String(complaintOrder['dueAt'])}.`);

  // ---- 8. A late rectification and the overdue sweep, twice --------------------------------
  step(8, 'A late rectification: an order whose deadline has passed, and the overdue sweep run twice');
  // Found 90 minutes ago (CL-LITTER: one hour to fix), so its deadline is already behind us.
  const foundAt = new Date(Date.now() - 90 * 60_000);
  const sameMonth = localDate(foundAt, zone).slice(0, 7) === today.slice(0, 7) && localDate(foundAt, zone) >= cleaning.startDate;
  const lateInspection = await call<{ inspection: Json; orders: Json[] }>('POST', '/v1/inspections', {
    token: inspectorToken,
    body: { segmentId: taskA.segmentId, serviceType: 'cleaning', at: (sameMonth ? foundAt : new Date(Date.now() - 60_000)).toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 1 }] },
  });
  const lateOrder = expect(lateInspection, 201, 'recording the earlier inspection').orders[0]!;
  say(`Inspection at ${localTime(sameMonth ? foundAt : now, zone)} raised order ${String(lateOrder['orderId'])}, due ${localTime(new Date(String(lateOrder['dueAt'])), zone)}; nobody answered it.`);
  const { createOverdueSweepHandler, overdueSweepDeps } = await import('../../functions/events/rectification-overdue-sweep');
  // Normally a quarter-hourly timer; here called directly. Were the finding of the previous
  // month (just after midnight on the 1st), the sweep's clock runs 90 minutes ahead instead.
  const sweepClock = sameMonth ? undefined : { now: () => new Date(Date.now() + 90 * 60_000) };
  const sweep = createOverdueSweepHandler(() => ({ ...overdueSweepDeps(), ...(sweepClock === undefined ? {} : { clock: sweepClock }) }), { info: () => undefined, error: () => undefined });
  const firstSweep = await sweep({ tenants: [demoTenantId] });
  const secondSweep = await sweep({ tenants: [demoTenantId] });
  const marked = expect(await call<Json & { late?: { penalty?: { pointsX100: number; fineFen: number }; markedAt?: string } }>('GET', `/v1/rectification-orders/${String(lateOrder['orderId'])}`, { token: inspectorToken }), 200, 'reading the late order');
  say(`Sweep 1 marked ${firstSweep.marked} order(s) late; sweep 2 marked ${secondSweep.marked}.`);
  say(`Order ${String(lateOrder['orderId'])}: late since ${marked.late?.markedAt ?? '?'}, penalty ${points(marked.late?.penalty?.pointsX100 ?? 0)} points, fine ${yuan(marked.late?.penalty?.fineFen ?? 0)}.`);

  // ---- 9. A work order on the unit-rate municipal contract ----------------------------------
  step(9, `A work order on the unit-rate municipal contract (${municipal.contractId})`);
  const municipalContract = expect(await call<{ versions: Array<{ scope: string[] }> }>('GET', `/v1/contracts/${municipal.contractId}`, { token: procurementToken }), 200, 'reading the municipal contract');
  let workSegment: SegmentLike | undefined;
  for (const segmentId of municipalContract.versions.at(-1)!.scope) {
    const segment = await segmentOf(segmentId);
    if (segment.geometry.type === 'LineString') {
      workSegment = segment;
      break;
    }
  }
  if (workSegment === undefined) throw new DemoStepError('the municipal contract has no line segment');
  const [wLon, wLat] = startPoint(workSegment);
  const ordered = expect(
    await call<Json>('POST', `/v1/contracts/${municipal.contractId}/work-orders`, {
      token: inspectorToken,
      body: { rateItemCode: 'M-02', estimatedQuantityMilli: 2_000, location: { segmentId: workSegment.segmentId, point: { lon: wLon, lat: wLat } }, description: '人行道板破损约 2 m²', deadline: new Date(Date.now() + 2 * 86_400_000).toISOString() },
    }),
    201,
    'ordering the work',
  );
  const workOrderId = String(ordered['workOrderId']);
  say(`Inspector orders ${workOrderId}: M-02 修补人行道板, about 2.000 m² at ${yuan(Number(ordered['unitFen']))}/${String(ordered['unit'])} on “${workSegment.name}”.`);
  const workCapturedAt = new Date(Date.now() - 60_000);
  const workPhoto = jpegWithExif({ capturedAt: workCapturedAt, lon: wLon, lat: wLat, padToBytes: 31_000 });
  const workEvidence = await upload(`/v1/work-orders/${workOrderId}/uploads`, municipalCrewToken, [workPhoto]);
  const completed = await call<Json>('POST', `/v1/work-orders/${workOrderId}/completion`, {
    token: municipalCrewToken,
    ifMatch: Number(ordered['version']),
    body: { evidenceIds: workEvidence, capturedAt: workCapturedAt.toISOString(), gps: { lon: wLon, lat: wLat, accuracyM: 8 }, measuredQuantityMilli: 1_850, note: '实测 1.85 m²' },
  });
  const completedOrder = expect(completed, 200, 'completing the work order');
  say(`Crew (${demoContractors.municipal.name}) uploads a photo and completes it → ${completed.status}: measured 1.850 m².`);
  const acceptedAnswer = await call<Json & { acceptance?: { quantityMilli?: number; acceptedQuantityMilli?: number } }>('POST', `/v1/work-orders/${workOrderId}/acceptance`, {
    token: inspectorToken,
    ifMatch: Number(completedOrder['version']),
    body: { acceptedQuantityMilli: 1_600, reason: '复测破损面积 1.6 m²' },
  });
  const acceptedOrder = expect(acceptedAnswer, 200, 'accepting the work order');
  const acceptedQuantityMilli = acceptedOrder.acceptance?.acceptedQuantityMilli ?? acceptedOrder.acceptance?.quantityMilli ?? 1_600;
  say(`Inspector accepts 1.600 m² instead (“复测破损面积 1.6 m²”) → ${acceptedAnswer.status}: ${String(acceptedOrder['status'])}, worth 1.6 x ${yuan(Number(ordered['unitFen']))} = ${yuan(Math.round((acceptedQuantityMilli * Number(ordered['unitFen'])) / 1000))}.`);

  const base: DemoOutcome = {
    month: today.slice(0, 7),
    proofs: { accepted: accepted.status, reused: reused.status, far: far.status, firstProofId, reuseNamesFirst, farDistanceM },
    rejectedTaskStatus,
    inspection: { status: inspected.status, pointsX100: inspection.totals.pointsX100, fineFen: inspection.totals.fineFen, findings: inspection.lines.length },
    complaint: { status: complained.status, orderContractorId: complaintOrder['contractorId'] as string | undefined },
    sweep: { firstMarked: firstSweep.marked, secondMarked: secondSweep.marked, lateOnce: marked.late !== undefined && secondSweep.marked === 0 },
    workOrder: { completed: completed.status, accepted: acceptedAnswer.status, acceptedQuantityMilli },
  };

  // ---- 10. The monthly close ----------------------------------------------------------------
  const month = today.slice(0, 7);
  step(10, `The monthly close: the statement of ${month} — the current month, the month of every fact above (reviewed now, approved once the month has ended)`);
  if (!existsSync(join(projectRoot, 'functions/http/statements/routes.ts'))) {
    say('The statements API (functions/http/statements) is not in this tree yet: the demo ends after the work order.');
    return base;
  }
  const { statementSteps } = await import('./demo-statement');
  const secondFinanceToken = await devToken({ role: 'finance', tenantId: demoTenantId, sub: 'demo-finance-2' });
  const statement = await statementSteps({
    call,
    expect,
    say,
    yuan,
    month,
    financeTokens: [financeToken, secondFinanceToken],
    contracts: [
      { contractId: cleaning.contractId, label: 'The awarded cleaning contract (lump sum)' },
      { contractId: municipal.contractId, label: 'The municipal contract (unit rate)' },
    ],
    exportsDir: input.exportsDir,
  });
  return { ...base, statement };
}

// ---------------------------------------------------------------------------------------------

interface TaskLike {
  readonly taskId: string;
  readonly segmentId: string;
  readonly activity: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly minPhotos: number;
  readonly status: string;
}

interface SegmentLike {
  readonly segmentId: string;
  readonly name: string;
  readonly geometry: { readonly type: string; readonly coordinates: unknown };
}

/** Pending tasks whose window began at least 12 minutes ago, the latest window first. */
function startedTasks(tasks: readonly TaskLike[], now: Date): TaskLike[] {
  return tasks
    .filter((task) => task.status === 'pending' && Date.parse(task.windowStart) + 12 * 60_000 <= now.getTime())
    .sort((a, b) => (a.windowStart < b.windowStart ? 1 : a.windowStart > b.windowStart ? -1 : a.taskId < b.taskId ? -1 : 1));
}

/** Ten minutes into the window, or a minute ago if the window is older (within the window either way). */
function captureTime(task: TaskLike, now: Date): string {
  const start = Date.parse(task.windowStart);
  const end = Date.parse(task.windowEnd);
  const at = Math.min(start + 10 * 60_000, end, now.getTime() - 60_000);
  // The window's own offset (+08:00), as the phone reports local time.
  const offset = task.windowStart.slice(19);
  const local = new Date(at + offsetMinutes(offset) * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
}

function offsetMinutes(offset: string): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (match === null) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

function startPoint(segment: SegmentLike): [number, number] {
  const coordinates = segment.geometry.coordinates as number[][];
  return [coordinates[0]![0]!, coordinates[0]![1]!];
}

function localTime(at: Date, zone: string): string {
  return at.toLocaleTimeString('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' });
}

/** `npm run demo` when this file is run directly. */
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runDemo()
    .then(() => {
      console.log('\nDone: the local stack is stopped. `npm start` runs it for you to explore.');
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(`\nxiuhua demo: ${error instanceof DemoStepError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    });
}
