import type { S3Event } from 'aws-lambda';
import { FaultClient, type Answer, type Json } from './client';
import { draw, FaultInjector, quickenRetries, type FaultRates } from './injector';
import { Labels } from './labels';

/**
 * The scripted month of `npm run test:faults` (issue 8): a deterministic, bigger version of
 * `npm run demo` (infra/local/demo.ts) on a fresh local stack, driven by a virtual clock.
 *
 * The month is the one before the real current month (in the tenant's zone). The handlers read
 * time only through `systemClock` (functions/shared/system.ts), which is replaced for the run:
 * every step sets the virtual instant it happens at. What does NOT follow the virtual clock
 * (checked): ULIDs (their time part is the wall clock: ids are labelled, see labels.ts), the
 * presigned POST's policy expiry (proof-blobs.ts: s3rver does not check it), S3 event times
 * (s3rver's; they end up only in evidence `uploadedAt`), the in-progress expiry of Powertools
 * idempotency records (Date.now() plus the Lambda's remaining time), request ids.
 *
 * Procurement on the last day of the month before: segments imported, three contractors, a
 * cleaning tender over a few segments (bids, close, evaluation, award, activation) and a direct
 * unit-rate municipal contract. Then day by day: the crew's tasks of the day (some proved with two
 * photos each through the presigned POST to s3rver, ingested on the ObjectCreated event; one in
 * five days a proof refused 300 m away, one in seven a proof refused for a reused photo, the rest
 * left to the missed-task sweep), every third day an inspection with findings whose rectification
 * order is answered and accepted (or, one in three, left to the overdue sweep), an inspector's
 * rejection of an accepted proof, an Open311 complaint verified into a rectification order, a work
 * order on the unit-rate contract; the missed-task and overdue sweeps at 03:00 every night; then
 * the monthly close on the 1st at 00:30, the two statements and their CSV exports.
 */

export type Profile = 'ci' | 'full';

export interface MonthOptions {
  readonly mode: 'clean' | 'faulty';
  readonly seed: number;
  readonly profile: Profile;
  readonly rates: FaultRates;
  /** How much faster than the SDK's real backoff retries run (both runs). */
  readonly backoffFactor: number;
  readonly print: (line: string) => void;
}

export interface ProofClaim {
  readonly label: string;
  readonly proofId: string;
  readonly taskId: string;
  readonly status: number;
  readonly outcome: 'accepted' | 'refused';
}

export interface MonthResult {
  readonly mode: 'clean' | 'faulty';
  readonly month: string;
  /** Canonical renderings (labels.ts) by name: statements and CSV exports. */
  readonly canonical: ReadonlyMap<string, string>;
  readonly uploads: number;
  readonly proofs: readonly ProofClaim[];
  readonly verdict: StoreVerdict;
  readonly client: { readonly requests: number; readonly failures: FaultClient['failures'] };
  readonly injector: FaultInjector;
  readonly s3Deliveries: number;
  readonly unlabelledIds: readonly string[];
  readonly durationMs: number;
}

/** What the stored data says after the month (checked against what the script was told). */
export interface StoreVerdict {
  readonly objects: number;
  readonly evidenceItems: number;
  /** Uploaded objects without an ingested (valid or refused) evidence item. */
  readonly evidenceLost: readonly string[];
  /** Evidence items beyond one per object (items for keys no upload was issued for, repeats). */
  readonly evidenceDuplicated: readonly string[];
  /** Proofs the script got 201 or a refusal for that the store does not have. */
  readonly proofsLost: readonly string[];
  /** Stored proofs the script was not answered for (a retried submission stored twice). */
  readonly proofsDuplicated: readonly string[];
  /** Tasks with more than one accepted proof. */
  readonly tasksWithTwoAccepted: readonly string[];
  /** Audit entries written twice for one change (when the Audit log exists). */
  readonly auditDuplicated: number | undefined;
  /** Audit entries of the tenant (undefined without an audit log). */
  readonly auditEntries: number | undefined;
  /** Audit entries by `entity action status`, to compare with the clean run. */
  readonly auditKinds: ReadonlyMap<string, number>;
}

const tenantZone = 'Asia/Shanghai';

export async function runMonth(options: MonthOptions): Promise<MonthResult> {
  const started = Date.now();
  const { print } = options;
  const { startLocalStack } = await import('../../infra/local/stack');
  const stack = await startLocalStack();
  const stops: Array<() => unknown> = [];
  const labels = new Labels();
  // The virtual clock: every step sets where in the month it happens.
  const system = await import('../../functions/shared/system');
  const realNow = system.systemClock.now;
  let virtual = 0;
  (system.systemClock as { now: () => Date }).now = () => new Date(virtual);
  try {
    // The faulty run makes handlers log hundreds of failed attempts; the figures tell the story.
    process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
    Object.assign(process.env, stack.env);
    const [{ createHttpAdapter }, { seedDemoDistrict, demoTenantId, demoUsers, demoToken, demoOpen311ApiKey }, { startObjectEventHandlers }, clients, s3Clients, { localDynamoClient, localS3Client }, { DynamoDBDocumentClient, QueryCommand, ScanCommand }, { DynamoTenantDirectory }, { devToken }, dates, { jpegWithExif }, { demoContractors }, { contractorIdFor }, { ListObjectsV2Command }] =
      await Promise.all([
        import('../../infra/local/http-adapter'),
        import('../../infra/local/seed'),
        import('../../infra/local/object-events'),
        import('../../functions/shared/clients'),
        import('../../functions/shared/s3-client'),
        import('../../infra/local/aws'),
        import('@aws-sdk/lib-dynamodb'),
        import('../../functions/adapters/dynamodb/task-outcome-store'),
        import('../../infra/local/dev-auth'),
        import('../../domain/dates'),
        import('../../infra/local/photos'),
        import('../../infra/local/seed-procurement'),
        import('../../domain/contractors/identity'),
        import('@aws-sdk/client-s3'),
      ]);
    const injector = new FaultInjector(options.seed, options.rates);
    injector.installDynamo(clients.dynamoClient());
    injector.installS3(await s3Clients.s3Client());
    await quickenRetries(clients.dynamoClient(), options.backoffFactor);
    await quickenRetries(await s3Clients.s3Client(), options.backoffFactor);
    const adapter = createHttpAdapter({ env: stack.env, logger: { error: () => undefined } });
    await adapter.preload();
    const api = new FaultClient(adapter.dispatch);

    // S3: in the faulty run every ObjectCreated is delivered twice, each after a seeded delay
    // (0–40 ms), so the deliveries of one upload batch overtake each other.
    let deliveryCount = 0;
    const deliveries = options.mode === 'faulty'
      ? (event: S3Event) => {
          const key = event.Records[0]?.s3.object.key ?? '';
          return [0, 1].map((copy) => ({ delayMs: Math.floor(draw(`${options.seed}|s3|${labels.stableKey(key)}|${copy}`) * 40) }));
        }
      : undefined;
    stops.push(
      startObjectEventHandlers(stack.s3, {
        print: (line) => print(`  [s3 event] ${line}`),
        retryPauseMs: 20,
        ...(deliveries === undefined ? {} : { deliveries: (event: S3Event) => { const planned = deliveries(event); deliveryCount += planned.length; return planned; } }),
      }),
    );

    // ---- The month ----------------------------------------------------------------------
    const realToday = dates.localDate(new Date(), tenantZone);
    const month = dates.addDays(`${realToday.slice(0, 7)}-01`, -1).slice(0, 7);
    const firstDay = `${month}-01`;
    const daysInMonth = Number(dates.addDays(dates.addDays(`${firstDay.slice(0, 7)}-28`, 4).slice(0, 7) + '-01', -1).slice(8, 10));
    const at = (date: string, time: string): number => Date.parse(zonedIso(date, time));
    const setTime = (ms: number): void => {
      virtual = ms;
    };
    let stepLabel = 'setup';
    let stepStarted = Date.now();
    const slowSteps: string[] = [];
    const step = (label: string): void => {
      const took = Date.now() - stepStarted;
      if (took > 5_000) slowSteps.push(`${stepLabel} ${(took / 1000).toFixed(1)} s`);
      stepLabel = label;
      stepStarted = Date.now();
      injector.step = label;
    };

    // Set-up outside the fault model: the tenant item and its registration (the seed writes
    // them with a client of its own), then faults on for everything through the API.
    setTime(at(dates.addDays(firstDay, -1), '09:00'));
    const tenantId = demoTenantId;
    const tokenOf = (role: string): Promise<string> => demoToken(demoUsers.find((user) => user.role === role)!);
    const [procurement, inspector, finance, crew] = (await Promise.all(['procurement', 'inspector', 'finance', 'contractor'].map(tokenOf))) as [string, string, string, string];
    const municipalContractorId = contractorIdFor(tenantId, demoContractors.municipal.code);
    const municipalCrew = await devToken({ role: 'contractor', tenantId, contractorId: municipalContractorId, sub: 'faults-municipal-crew' });
    injector.enabled = options.mode === 'faulty';

    const expectStatus = <T>(answer: Answer<T>, statuses: readonly number[], what: string): T => {
      if (!statuses.includes(answer.status)) throw new Error(`${what}: expected ${statuses.join(' or ')}, got ${answer.status} ${answer.text.slice(0, 800)}`);
      return answer.json;
    };

    step('district');
    const district = await seedDemoDistrict({ dynamodbEndpoint: stack.dynamodb.endpoint, tableName: stack.tables.main, dispatch: api.dispatchWithRetries, now: new Date(virtual) });
    if (district.segments === 'skipped') throw new Error('a fresh stack found segments');
    const setupDynamo = DynamoDBDocumentClient.from(localDynamoClient(stack.dynamodb.endpoint));
    stops.push(() => setupDynamo.destroy());
    await new DynamoTenantDirectory(setupDynamo, stack.tables.main).register(tenantId);

    type Segment = { segmentId: string; name: string; street: string; grade: string; flags?: string[]; geometry: { type: string; coordinates: number[][] } };
    const listAll = async <T>(path: string, token: string): Promise<T[]> => {
      const items: T[] = [];
      let cursor: string | undefined;
      do {
        const page = expectStatus(await api.call<{ items: T[]; nextCursor?: string }>('GET', `${path}${path.includes('?') ? '&' : '?'}limit=200${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, { token }), [200], `listing ${path}`);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return items;
    };
    step('segments');
    const segments = (await listAll<Segment>('/v1/segments', procurement)).filter((segment) => segment.geometry.type === 'LineString').sort((a, b) => (a.segmentId < b.segmentId ? -1 : 1));
    const bySegment = new Map(segments.map((segment) => [segment.segmentId, segment]));
    const lotSegments = segments.filter((segment) => segment.street === '南京西路街道').slice(0, options.profile === 'full' ? 6 : 3);
    const municipalSegments = segments.filter((segment) => segment.grade === 'primary' || (segment.flags ?? []).length > 0).slice(0, 4);
    if (lotSegments.length < 3 || municipalSegments.length === 0) throw new Error(`too few segments: ${lotSegments.length} for the lot, ${municipalSegments.length} for the municipal contract`);

    // Contractors, tender → award, the direct contract.
    step('contractors');
    for (const [key, contractor] of Object.entries(demoContractors)) {
      const body = { code: contractor.code, name: contractor.name, nameEn: contractor.nameEn };
      expectStatus(await api.call('POST', '/v1/contractors', { token: procurement, body, key: `faults-contractor-${key}` }), [201], `registering ${key}`);
    }
    step('tender');
    const tender = expectStatus(
      await api.call<Json & { tenderId: string; version: number }>('POST', '/v1/tenders', {
        token: procurement,
        key: 'faults-tender',
        body: {
          title: '南京西路街道道路保洁服务采购 (faults)',
          serviceType: 'cleaning',
          evaluation: { method: 'weighted', priceWeight: 30, technicalWeight: 60, creditWeight: 10 },
          closesAt: new Date(virtual + 2 * 3_600_000).toISOString(),
          lots: [{ name: '第一标段', segmentIds: lotSegments.map((segment) => segment.segmentId), pricing: { kind: 'lump_sum', ceilingMonthlyFen: 20_000_000 } }],
        },
      }),
      [201],
      'opening the tender',
    );
    labels.add(tender.tenderId, 'tender');
    const lotId = 'lot_1';
    const bids = [
      { contractor: 'greening', monthlyFen: 17_900_000, technicalScoreX100: 7_600 },
      { contractor: 'municipal', monthlyFen: 18_600_000, technicalScoreX100: 8_100 },
      { contractor: 'cleaning', monthlyFen: 19_200_000, technicalScoreX100: 8_850 },
    ] as const;
    for (const bid of bids) {
      step(`bid-${bid.contractor}`);
      const body = { lotId, contractorId: contractorIdFor(tenantId, demoContractors[bid.contractor].code), submittedAt: new Date(virtual).toISOString(), price: { kind: 'lump_sum', monthlyFen: bid.monthlyFen }, technicalScoreX100: bid.technicalScoreX100 };
      const recorded = expectStatus(await api.call<Json & { bidId?: string }>('POST', `/v1/tenders/${tender.tenderId}/bids`, { token: procurement, body, key: `faults-bid-${bid.contractor}` }), [201], `bid of ${bid.contractor}`);
      if (typeof recorded.bidId === 'string') labels.add(recorded.bidId, `bid:${bid.contractor}`);
    }
    setTime(virtual + 3 * 3_600_000);
    step('close-tender');
    const closed = expectStatus(await api.call<Json & { version: number }>('POST', `/v1/tenders/${tender.tenderId}/close`, { token: procurement, ifMatch: tender.version, key: 'faults-tender-close' }), [200], 'closing the tender');
    step('evaluate');
    expectStatus(await api.call('POST', `/v1/tenders/${tender.tenderId}/lots/${lotId}/evaluation`, { token: procurement, ifMatch: closed.version, key: 'faults-tender-evaluate' }), [200], 'evaluating');
    const evaluated = expectStatus(await api.call<Json & { version: number }>('GET', `/v1/tenders/${tender.tenderId}`, { token: procurement }), [200], 'reading the tender');
    step('award');
    const endDate = dates.addDays(`${Number(month.slice(0, 4)) + 1}-${month.slice(5, 7)}-01`, -1);
    const award = expectStatus(
      await api.call<{ tender: Json; contract?: { contractId: string } }>('POST', `/v1/tenders/${tender.tenderId}/lots/${lotId}/award`, {
        token: procurement,
        ifMatch: evaluated.version,
        key: 'faults-award',
        body: { title: '南京西路街道道路保洁服务合同 (faults)', startDate: firstDay, endDate, performanceBondFen: 12_000_000, standardRef: { standardId: 'cleaning-standard', version: 1 }, rulebookTemplateId: 'cleaning-standard' },
      }),
      [201],
      'awarding',
    );
    const { contractIdFrom } = await import('../../domain/contracts/contract');
    const { awardedContractUlid } = await import('../../domain/tenders/identity');
    const cleaningId = award.contract?.contractId ?? contractIdFrom(awardedContractUlid(tender.tenderId, lotId));
    labels.add(cleaningId, 'contract:cleaning');
    step('activate-cleaning');
    const cleaningDraft = expectStatus(await api.call<Json & { version: number }>('GET', `/v1/contracts/${cleaningId}`, { token: procurement }), [200], 'reading the cleaning contract');
    expectStatus(await api.call('POST', `/v1/contracts/${cleaningId}/activate`, { token: procurement, ifMatch: cleaningDraft.version, key: 'faults-activate-cleaning' }), [200], 'activating the cleaning contract');
    step('municipal');
    const municipal = expectStatus(
      await api.call<Json & { contractId: string; version: number }>('POST', '/v1/contracts', {
        token: procurement,
        key: 'faults-municipal',
        body: {
          contractorId: municipalContractorId,
          serviceType: 'municipal',
          title: '主干路市政设施维修养护合同 (faults)',
          startDate: firstDay,
          endDate,
          performanceBondFen: 5_000_000,
          scope: municipalSegments.map((segment) => segment.segmentId),
          pricing: { kind: 'unit_rate', items: [{ code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 118_000 }, { code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 }] },
          standardRef: { standardId: 'municipal-roads', version: 1 },
          rulebookTemplateId: 'municipal-roads',
        },
      }),
      [201],
      'creating the municipal contract',
    );
    labels.add(municipal.contractId, 'contract:municipal');
    step('activate-municipal');
    expectStatus(await api.call('POST', `/v1/contracts/${municipal.contractId}/activate`, { token: procurement, ifMatch: municipal.version, key: 'faults-activate-municipal' }), [200], 'activating the municipal contract');

    // ---- Photos ---------------------------------------------------------------------------
    const proofsBucket = stack.buckets.proofs;
    let uploads = 0;
    let photoSerial = 0;
    const photo = (capturedMs: number, lon: number, lat: number): Buffer => {
      photoSerial += 1;
      return jpegWithExif({ capturedAt: new Date(capturedMs - photoSerial * 1_000), lon, lat, padToBytes: 12_000 + photoSerial * 3 });
    };
    const upload = async (label: string, path: string, token: string, photos: readonly Buffer[]): Promise<string[]> => {
      const evidenceIds: string[] = [];
      for (const [index, bytes] of photos.entries()) {
        step(`${label}:slot${index}`);
        const slot = expectStatus(await api.call<{ evidenceId: string; url: string; fields: Record<string, string> }>('POST', path, { token, body: { contentType: 'image/jpeg' }, key: `faults-${label}-slot${index}` }), [201], `upload slot ${label}`);
        labels.add(slot.evidenceId, `evidence:${label}:${index}`);
        const key = slot.fields['key'] ?? slot.fields['Key'];
        if (key !== undefined) labels.addKey(key, `${label}:${index}`);
        const form = new FormData();
        for (const [name, value] of Object.entries(slot.fields)) form.append(name, value);
        form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
        step(`${label}:ingest${index}`);
        const posted = await fetch(slot.url, { method: 'POST', body: form });
        if (posted.status >= 300) throw new Error(`S3 refused the presigned POST: ${posted.status} ${await posted.text()}`);
        uploads += 1;
        evidenceIds.push(slot.evidenceId);
      }
      await stack.s3.idle();
      return evidenceIds;
    };

    // ---- Day by day -------------------------------------------------------------------------
    type Task = { taskId: string; segmentId: string; activity: string; windowStart: string; windowEnd: string; minPhotos: number; status: string };
    const proofs: ProofClaim[] = [];
    const accepted: ProofClaim[] = [];
    const perDay = options.profile === 'full' ? 4 : 2;
    let reusable: Buffer | undefined;
    const { createSweepHandler, sweepDeps } = await import('../../functions/events/missed-task-sweep');
    const { createOverdueSweepHandler, overdueSweepDeps } = await import('../../functions/events/rectification-overdue-sweep');
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const missedSweep = createSweepHandler(sweepDeps, quiet);
    const overdueSweep = createOverdueSweepHandler(overdueSweepDeps, quiet);
    const runEvent = async (label: string, run: () => Promise<unknown>): Promise<void> => {
      // A scheduled Lambda is retried by its scheduler (EventBridge: up to 185 times); three here.
      for (let attempt = 1; ; attempt += 1) {
        step(`${label}#${attempt}`);
        try {
          await run();
          return;
        } catch (error) {
          if (attempt >= 6) throw error;
        }
      }
    };

    const lastDay = Math.min(daysInMonth, Number(process.env['FAULTS_DAYS'] ?? daysInMonth) || daysInMonth);
    for (let day = 1; day <= lastDay; day += 1) {
      const date = `${month}-${String(day).padStart(2, '0')}`;
      const d = `d${String(day).padStart(2, '0')}`;
      setTime(at(date, '05:00'));
      step(`${d}:tasks`);
      const tasks = (await listAll<Task>(`/v1/contracts/${cleaningId}/tasks?date=${date}`, crew))
        .filter((task) => bySegment.has(task.segmentId))
        // Stable across runs: the task id holds the contract id, which differs from run to run.
        .sort((a, b) => (a.windowStart !== b.windowStart ? (a.windowStart < b.windowStart ? -1 : 1) : `${a.segmentId} ${a.activity}` < `${b.segmentId} ${b.activity}` ? -1 : 1));
      // Spread over the day: every n-th task.
      const stride = Math.max(1, Math.floor(tasks.length / perDay));
      const chosen = tasks.filter((_, index) => index % stride === 0).slice(0, perDay);
      for (const [n, task] of chosen.entries()) {
        const label = `${d}:t${n}`;
        const segment = bySegment.get(task.segmentId)!;
        const [lon, lat] = segment.geometry.coordinates[0] as [number, number];
        const windowStart = Date.parse(task.windowStart);
        setTime(windowStart + 5 * 60_000);
        const capturedMs = windowStart + 10 * 60_000;
        const far = n === 1 && day % 5 === 0;
        const reuse = n === 2 && day % 7 === 0 && reusable !== undefined;
        const photos = Array.from({ length: Math.max(2, task.minPhotos) }, () => photo(capturedMs, lon, lat));
        if (reuse) photos[0] = reusable!;
        if (day === 1 && n === 0) reusable = photos[0];
        const evidenceIds = await upload(label, `/v1/tasks/${task.taskId}/uploads`, crew, photos);
        setTime(windowStart + 15 * 60_000);
        step(`${label}:proof`);
        const claim = { evidenceIds, capturedAt: zonedFromMs(capturedMs), gps: { lon, lat: lat - (far ? 300 / 111_195 : 0), accuracyM: 6 }, note: '普扫完成' };
        const answer = await api.call<Json & { proofId?: string; status?: string; version?: number }>('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crew, body: claim, key: `faults-${label}-proof` });
        const body = expectStatus(answer, [201, 422], `proof ${label}`);
        const proofId = typeof body.proofId === 'string' ? body.proofId : undefined;
        if (proofId !== undefined) {
          labels.add(proofId, `proof:${label}`);
          const record: ProofClaim = { label, proofId, taskId: task.taskId, status: answer.status, outcome: answer.status === 201 ? 'accepted' : 'refused' };
          proofs.push(record);
          if (answer.status === 201) accepted.push(record);
        } else if (answer.status === 201) {
          throw new Error(`proof ${label}: 201 without a proof id`);
        }
      }

      // Every third day an inspection with findings; the order is answered and accepted, or
      // (one in three inspection days) left to the overdue sweep.
      if (day % 3 === 0) {
        const segment = lotSegments[day % lotSegments.length]!;
        setTime(at(date, '14:00'));
        step(`${d}:inspection`);
        const inspected = expectStatus(
          await api.call<{ inspection: Json & { inspectionId: string }; orders: Array<Json & { orderId: string; version: number }> }>('POST', '/v1/inspections', {
            token: inspector,
            key: `faults-${d}-inspection`,
            body: { segmentId: segment.segmentId, serviceType: 'cleaning', at: new Date(virtual - 60_000).toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-BIN', count: 1 }, ...(day % 6 === 0 ? [{ itemCode: 'CL-PILE-M', count: 1 }] : [])] },
          }),
          [201],
          `inspection ${d}`,
        );
        labels.add(inspected.inspection.inspectionId, `inspection:${d}`);
        for (const [i, order] of inspected.orders.entries()) {
          labels.add(order.orderId, `order:${d}:${i}`);
          if (day % 9 === 0) continue; // left unanswered: the overdue sweep marks it late
          const [lon, lat] = segment.geometry.coordinates[0] as [number, number];
          setTime(at(date, '14:40'));
          const evidence = await upload(`${d}:order${i}`, `/v1/rectification-orders/${order.orderId}/uploads`, crew, [photo(virtual - 60_000, lon, lat)]);
          step(`${d}:order${i}:answer`);
          const answered = expectStatus(
            await api.call<Json & { version: number }>('POST', `/v1/rectification-orders/${order.orderId}/answers`, {
              token: crew,
              key: `faults-${d}-order${i}-answer`,
              body: { evidenceIds: evidence, gps: { lon, lat, accuracyM: 5 }, capturedAt: zonedFromMs(virtual - 60_000), note: '已整改' },
            }),
            [200, 201],
            `answering order ${d}:${i}`,
          );
          setTime(at(date, '15:00'));
          step(`${d}:order${i}:accept`);
          expectStatus(await api.call('POST', `/v1/rectification-orders/${order.orderId}/acceptance`, { token: inspector, ifMatch: answered.version, key: `faults-${d}-order${i}-accept`, body: { reason: '复查合格' } }), [200], `accepting order ${d}:${i}`);
        }
      }

      // Day 15: the inspector rejects the first accepted proof of the month.
      if (day === 15 && accepted[0] !== undefined) {
        setTime(at(date, '16:00'));
        step(`${d}:rejection`);
        const proof = expectStatus(await api.call<Json & { version: number }>('GET', `/v1/proofs/${accepted[0].proofId}`, { token: inspector }), [200], 'reading the proof to reject');
        expectStatus(await api.call('POST', `/v1/proofs/${accepted[0].proofId}/rejection`, { token: inspector, ifMatch: proof.version, key: 'faults-rejection', body: { reason: '照片未见清扫后路面' } }), [200], 'rejecting the proof');
      }

      // Day 10: a citizen's complaint through Open311, answered and accepted.
      if (day === 10) {
        const segment = lotSegments[0]!;
        // The middle of the first stretch: an end point is shared with the crossing roads.
        const [[lon0, lat0], [lon1, lat1]] = segment.geometry.coordinates as [[number, number], [number, number]];
        const [lon, lat] = [(lon0 + lon1) / 2, (lat0 + lat1) / 2];
        setTime(at(date, '10:00'));
        step(`${d}:complaint`);
        const complained = expectStatus(
          await api.call<Json[]>('POST', '/open311/v2/requests.json', { token: '', form: { jurisdiction_id: tenantId, api_key: demoOpen311ApiKey, service_code: 'CL-LITTER', lat: String(lat), long: String(lon), description: '人行道上有大量纸屑和烟头' } }),
          [201],
          'the complaint',
        );
        const serviceRequestId = String(complained[0]?.['service_request_id']);
        labels.add(serviceRequestId, 'complaint');
        const orderId = `rec_${serviceRequestId.slice('cmp_'.length)}`;
        labels.add(orderId, 'order:complaint');
        // A citizen report becomes an order only when an inspector verifies it (issue 13).
        setTime(at(date, '10:15'));
        step(`${d}:complaint:verify`);
        const routedComplaint = expectStatus(await api.call<Json & { version: number }>('GET', `/v1/complaints/${serviceRequestId}`, { token: inspector }), [200], 'reading the complaint');
        expectStatus(
          await api.call('POST', `/v1/complaints/${serviceRequestId}/verification`, { token: inspector, ifMatch: routedComplaint.version, key: 'faults-complaint-verify', body: { valid: true, reason: '现场核实属实' } }),
          [200],
          'verifying the complaint',
        );
        setTime(at(date, '10:30'));
        const evidence = await upload(`${d}:complaint`, `/v1/rectification-orders/${orderId}/uploads`, crew, [photo(virtual - 60_000, lon, lat)]);
        step(`${d}:complaint:answer`);
        const answered = expectStatus(
          await api.call<Json & { version: number }>('POST', `/v1/rectification-orders/${orderId}/answers`, { token: crew, key: 'faults-complaint-answer', body: { evidenceIds: evidence, gps: { lon, lat, accuracyM: 5 }, capturedAt: zonedFromMs(virtual - 60_000), note: '已清理' } }),
          [200, 201],
          'answering the complaint order',
        );
        setTime(at(date, '10:50'));
        step(`${d}:complaint:accept`);
        expectStatus(await api.call('POST', `/v1/rectification-orders/${orderId}/acceptance`, { token: inspector, ifMatch: answered.version, key: 'faults-complaint-accept', body: {} }), [200], 'accepting the complaint order');
      }

      // Day 12: a work order on the unit-rate contract.
      if (day === 12) {
        const segment = municipalSegments[0]!;
        const [lon, lat] = segment.geometry.coordinates[0] as [number, number];
        setTime(at(date, '09:00'));
        step(`${d}:work-order`);
        const ordered = expectStatus(
          await api.call<Json & { workOrderId: string; version: number }>('POST', `/v1/contracts/${municipal.contractId}/work-orders`, {
            token: inspector,
            key: 'faults-work-order',
            body: { rateItemCode: 'M-02', estimatedQuantityMilli: 2_000, location: { segmentId: segment.segmentId, point: { lon, lat } }, description: '人行道板破损约 2 m²', deadline: new Date(virtual + 2 * 86_400_000).toISOString() },
          }),
          [201],
          'ordering the work',
        );
        labels.add(ordered.workOrderId, 'work-order');
        setTime(at(date, '15:00'));
        const evidence = await upload(`${d}:work`, `/v1/work-orders/${ordered.workOrderId}/uploads`, municipalCrew, [photo(virtual - 60_000, lon, lat)]);
        step(`${d}:work:complete`);
        const completed = expectStatus(
          await api.call<Json & { version: number }>('POST', `/v1/work-orders/${ordered.workOrderId}/completion`, {
            token: municipalCrew,
            ifMatch: ordered.version,
            key: 'faults-work-complete',
            body: { evidenceIds: evidence, capturedAt: new Date(virtual - 60_000).toISOString(), gps: { lon, lat, accuracyM: 8 }, measuredQuantityMilli: 1_850, note: '实测 1.85 m²' },
          }),
          [200],
          'completing the work order',
        );
        setTime(at(date, '17:00'));
        step(`${d}:work:accept`);
        expectStatus(await api.call('POST', `/v1/work-orders/${ordered.workOrderId}/acceptance`, { token: inspector, ifMatch: completed.version, key: 'faults-work-accept', body: { acceptedQuantityMilli: 1_600, reason: '复测破损面积 1.6 m²' } }), [200], 'accepting the work order');
      }

      // The night's sweeps (03:00 the next day): missed tasks, late rectification orders.
      setTime(at(dates.addDays(date, 1), '03:00'));
      await runEvent(`${d}:missed-sweep`, () => missedSweep({ tenants: [tenantId] }));
      await runEvent(`${d}:overdue-sweep`, () => overdueSweep({ tenants: [tenantId] }));
    }

    // ---- The monthly close and the statements ----------------------------------------------
    setTime(at(dates.addDays(firstDay.slice(0, 8) + String(daysInMonth).padStart(2, '0'), 1), '00:30'));
    const { createMonthlyCloseHandler } = await import('../../functions/events/monthly-close');
    const { monthlyCloseDeps } = await import('../../functions/events/monthly-close-deps');
    const close = createMonthlyCloseHandler(monthlyCloseDeps, quiet);
    await runEvent('close', async () => {
      const summary = (await close({ month, tenants: [tenantId] })) as { failed: number };
      if (summary.failed > 0) throw new Error(`the close failed for ${summary.failed} contract(s)`);
    });
    const canonical = new Map<string, string>();
    const s3Reader = localS3Client(stack.s3.endpoint);
    stops.push(() => s3Reader.destroy());
    for (const [name, contractId] of [['cleaning', cleaningId], ['municipal', municipal.contractId]] as const) {
      step(`statement:${name}`);
      const statement = await api.call('GET', `/v1/contracts/${contractId}/statements/${month}`, { token: finance });
      expectStatus(statement, [200], `reading the ${name} statement`);
      canonical.set(`statement ${name}`, labels.canonical(statement.text));
      step(`export:${name}`);
      // A job (issue 16): 202, then the worker (delivered like every S3 event here: twice,
      // out of order, under faults) writes the file; the job is polled until it is ready.
      const queued = expectStatus(await api.call<{ jobId: string; statusUrl: string }>('POST', `/v1/contracts/${contractId}/statements/${month}/exports`, { token: finance, key: `faults-export-${name}`, body: { format: 'csv', lang: 'zh' } }), [202], `exporting the ${name} statement`);
      let exported: { status: string; url?: string; fileName?: string; reason?: string } = { status: 'queued' };
      for (const until = Date.now() + 60_000; (exported.status === 'queued' || exported.status === 'running') && Date.now() < until; ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        exported = expectStatus(await api.call<typeof exported>('GET', queued.statusUrl, { token: finance }), [200], `reading the ${name} export job`);
      }
      if (exported.status !== 'ready' || exported.url === undefined) throw new Error(`the ${name} export job ended ${exported.status}${exported.reason === undefined ? '' : `: ${exported.reason}`}`);
      const download = await fetch(exported.url);
      if (!download.ok) throw new Error(`downloading ${exported.fileName ?? queued.jobId}: ${download.status}`);
      canonical.set(`CSV ${name}`, labels.canonical(await download.text()));
    }
    injector.enabled = false;
    if (slowSteps.length > 0) print(`${options.mode} run: steps slower than 5 s: ${slowSteps.join('; ')}`);

    // ---- What the store says --------------------------------------------------------------
    step('verdict');
    const verdict = await storeVerdict({
      tenantId,
      proofs,
      list: async (prefix) => {
        const keys: string[] = [];
        let token: string | undefined;
        do {
          const page = await s3Reader.send(new ListObjectsV2Command({ Bucket: proofsBucket, Prefix: prefix, ...(token === undefined ? {} : { ContinuationToken: token }) }));
          keys.push(...(page.Contents ?? []).map((object) => object.Key!).filter((key) => key !== undefined));
          token = page.NextContinuationToken;
        } while (token !== undefined);
        return keys;
      },
      query: async (pk) => {
        const items: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await setupDynamo.send(new QueryCommand({ TableName: stack.tables.main, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
          items.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start !== undefined);
        return items;
      },
      auditTable: (stack.tables as { audit?: string }).audit,
      scan: async (filter, table) => {
        const items: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await setupDynamo.send(new ScanCommand({ TableName: table ?? stack.tables.main, ...filter, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
          items.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start !== undefined);
        return items;
      },
    });
    return {
      mode: options.mode,
      month,
      canonical,
      uploads,
      proofs,
      verdict,
      client: { requests: api.requests, failures: api.failures },
      injector,
      s3Deliveries: deliveryCount,
      unlabelledIds: labels.unlabelled,
      durationMs: Date.now() - started,
    };
  } finally {
    (system.systemClock as { now: () => Date }).now = realNow;
    for (const stop of stops) await Promise.resolve(stop());
    await stack.s3.idle().catch(() => undefined);
    await stack.stop();
  }
}

interface VerdictInput {
  readonly tenantId: string;
  readonly proofs: readonly ProofClaim[];
  list(prefix: string): Promise<string[]>;
  query(pk: string): Promise<Record<string, unknown>[]>;
  scan(filter: { FilterExpression: string; ExpressionAttributeValues: Record<string, unknown>; ExpressionAttributeNames?: Record<string, string> }, table?: string): Promise<Record<string, unknown>[]>;
  /** The audit log's table, when this tree has one. */
  readonly auditTable: string | undefined;
}

async function storeVerdict(input: VerdictInput): Promise<StoreVerdict> {
  const { parseProofKey } = await import('../../domain/proofs/keys');
  const { evidenceIdOf } = await import('../../domain/proofs/evidence');
  const { keys } = await import('../../functions/adapters/dynamodb/keys');
  const objects = await input.list(`proofs/${input.tenantId}/`);
  const evidenceLost: string[] = [];
  const evidenceDuplicated: string[] = [];
  let evidenceItems = 0;
  const partitions = new Map<string, Set<string>>();
  for (const key of objects) {
    const parts = parseProofKey(key);
    if (parts === undefined) {
      evidenceLost.push(`${key} (not a proof key)`);
      continue;
    }
    const evidenceId = evidenceIdOf(parts.uuid);
    const pk = keys.evidencePartition(input.tenantId, parts.subjectId);
    let expected = partitions.get(pk);
    if (expected === undefined) partitions.set(pk, (expected = new Set()));
    expected.add(evidenceId);
  }
  for (const [pk, expected] of partitions) {
    const items = (await input.query(pk)).filter((item) => String(item['sk']).startsWith(keys.evidencePrefix));
    evidenceItems += items.length;
    const seen = new Map<string, number>();
    for (const item of items) seen.set(String(item['evidenceId']), (seen.get(String(item['evidenceId'])) ?? 0) + 1);
    for (const evidenceId of expected) {
      const item = items.find((candidate) => candidate['evidenceId'] === evidenceId);
      if (item === undefined || item['status'] === 'awaiting_upload') evidenceLost.push(evidenceId);
    }
    for (const [evidenceId, count] of seen) {
      if (!expected.has(evidenceId)) {
        // An issued slot never uploaded would be awaiting_upload; anything else is an extra item.
        const item = items.find((candidate) => candidate['evidenceId'] === evidenceId);
        if (item?.['status'] !== 'awaiting_upload') evidenceDuplicated.push(evidenceId);
      } else if (count > 1) evidenceDuplicated.push(evidenceId);
    }
  }

  // Proofs: every answered proof exactly once; no stored proof the script was not answered for.
  const stored = await input.scan({ FilterExpression: '#entity = :proof AND tenantId = :tenant', ExpressionAttributeNames: { '#entity': 'entity' }, ExpressionAttributeValues: { ':proof': 'Proof', ':tenant': input.tenantId } });
  const storedIds = stored.map((item) => String(item['proofId']));
  const answered = new Set(input.proofs.map((proof) => proof.proofId));
  const proofsLost = input.proofs.filter((proof) => storedIds.filter((id) => id === proof.proofId).length !== 1).map((proof) => `${proof.label} ${proof.proofId}`);
  const proofsDuplicated = storedIds.filter((id) => !answered.has(id));
  const acceptedByTask = new Map<string, number>();
  for (const item of stored) {
    if (item['status'] !== 'accepted') continue;
    const taskId = String((item['subject'] as { id?: unknown } | undefined)?.id);
    acceptedByTask.set(taskId, (acceptedByTask.get(taskId) ?? 0) + 1);
  }
  const tasksWithTwoAccepted = [...acceptedByTask].filter(([, count]) => count > 1).map(([taskId]) => taskId);

  // The audit log, if this tree has it: one entry per change (no entry twice for one change).
  // One change is one (entity, id, action, version before, version after, status after).
  let auditDuplicated: number | undefined;
  let auditEntries: number | undefined;
  const auditKinds = new Map<string, number>();
  if (input.auditTable !== undefined) {
    const audit = await input.scan({ FilterExpression: 'tenantId = :tenant', ExpressionAttributeValues: { ':tenant': input.tenantId } }, input.auditTable);
    const seen = new Map<string, number>();
    for (const entry of audit) {
      const kind = `${String(entry['entity'])} ${String(entry['action'])} ${String(entry['status'] ?? '-')}`;
      auditKinds.set(kind, (auditKinds.get(kind) ?? 0) + 1);
      const identity = JSON.stringify([entry['entity'], entry['entityId'], entry['action'], entry['beforeVersion'] ?? null, entry['afterVersion'] ?? null, entry['status'] ?? null]);
      seen.set(identity, (seen.get(identity) ?? 0) + 1);
    }
    auditDuplicated = [...seen.values()].reduce((sum, count) => sum + (count - 1), 0);
    auditEntries = audit.length;
  }
  return { objects: objects.length, evidenceItems, evidenceLost, evidenceDuplicated, proofsLost, proofsDuplicated, tasksWithTwoAccepted, auditDuplicated, auditEntries, auditKinds };
}

/** `2026-11-03` + `05:00` in the tenant's zone (UTC+8, no DST) → ISO instant with offset. */
function zonedIso(date: string, time: string): string {
  return `${date}T${time}:00+08:00`;
}

/** An instant as the phone reports it: local time with the +08:00 offset. */
function zonedFromMs(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
