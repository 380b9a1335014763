/**
 * Every scheduled event handler: one Lambda each, how often it runs, and exactly which
 * DynamoDB actions it needs. The CDK stack (infra/stateless.ts: a Lambda, an EventBridge
 * Scheduler schedule with retries and a dead-letter queue) and the local stack's timers
 * (infra/local/start.ts) are both built from this list, as the HTTP side is from
 * functions/http/manifest.ts. Data only: nothing here imports a handler.
 */

export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem';

export interface EventHandlerManifest {
  /** Short name: the construct id, log group and schedule suffix. */
  readonly name: string;
  /** Path of the entry, relative to the repository root (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** A rate schedule: every this many minutes (with `dailyAt`, the period of that daily run). */
  readonly everyMinutes: number;
  /**
   * Optional: run once a day at this local time instead of at a rate (an EventBridge Scheduler
   * cron in that IANA zone); `everyMinutes` is then 1440 and still paces the local timer.
   */
  readonly dailyAt?: { readonly hour: number; readonly minute: number; readonly timeZone: string };
  /**
   * Optional: run once a month, on `day` at this local time (an EventBridge Scheduler cron in
   * that IANA zone); `everyMinutes` then paces only the local timer (1440: the timer checks
   * daily, and the handler's run is idempotent).
   */
  readonly monthlyAt?: { readonly day: number; readonly hour: number; readonly minute: number; readonly timeZone: string };
  /**
   * Optional: in AWS the schedule starts a Step Functions state machine that maps the
   * handler's steps over many items (infra/constructs/monthly-close.ts) instead of invoking the
   * Lambda once; the local timer still invokes the handler with `input`.
   */
  readonly stateMachine?: { readonly maxConcurrency: number };
  /** The payload the schedule sends (the local timer sends the same). */
  readonly input: Readonly<Record<string, unknown>>;
  /** Lambda timeout in seconds; the handler bounds its own work well below it. */
  readonly timeoutSeconds: number;
  /** Main-table actions, and nothing else: no Scan, no Delete, no idempotency table. */
  readonly mainTable: readonly TableAction[];
}

export const eventHandlers: readonly EventHandlerManifest[] = [
  {
    name: 'missed-task-sweep',
    entry: 'functions/events/missed-task-sweep.ts',
    description: 'records a miss for every task whose window plus grace closed without an outcome (issue 4)',
    everyMinutes: 60,
    input: {},
    // Four slices of at most 20 000 tasks per tenant (missed-task-sweep.ts): a minute or two
    // for a large district; five minutes leaves room without hiding a stuck run for long.
    timeoutSeconds: 300,
    mainTable: ['GetItem', 'BatchGetItem', 'Query', 'PutItem'],
  },
  {
    name: 'contract-expiry',
    entry: 'functions/events/contract-expiry.ts',
    description: 'moves active and suspended contracts past their end date to expired (issue 3)',
    everyMinutes: 24 * 60,
    // Ten past midnight in the districts' zone: yesterday's last contract day has just ended.
    dailyAt: { hour: 0, minute: 10, timeZone: 'Asia/Shanghai' },
    input: {},
    // One consistent partition query per service type and tenant, a small write per ended contract.
    timeoutSeconds: 300,
    // GetItem: the tenant's zone and the scope lock; Query: the registry and the contracts;
    // PutItem: the contract and its history item (one transaction).
    mainTable: ['GetItem', 'Query', 'PutItem'],
  },
  {
    name: 'rectification-overdue-sweep',
    entry: 'functions/events/rectification-overdue-sweep.ts',
    description: 'marks each rectification order not fixed by its deadline late, once, with its penalty (issue 6)',
    // The shortest rulebook period is one hour (CL-LITTER): a quarter-hour pace marks it late
    // within 15 minutes of its deadline.
    everyMinutes: 15,
    input: {},
    // One owing-index query and at most 500 small transactions per tenant.
    timeoutSeconds: 120,
    // Query: the registry and the owing index; BatchGetItem: the owing orders; PutItem: the
    // order, its contract-list copy and its index item (one transaction).
    mainTable: ['Query', 'BatchGetItem', 'PutItem'],
  },
  {
    name: 'monthly-close',
    entry: 'functions/events/monthly-close.ts',
    description: "computes every contract's statement of the previous month and raises ranking notices (issue 7)",
    everyMinutes: 24 * 60,
    // 00:30 on the 1st in the districts' zone: the month has ended and the midnight sweeps
    // (contract expiry at 00:10) have run.
    monthlyAt: { day: 1, hour: 0, minute: 30, timeZone: 'Asia/Shanghai' },
    input: {},
    // Ten contracts at once: each reads a month of facts (a few hundred queries); more would
    // only queue behind the table's capacity.
    stateMachine: { maxConcurrency: 10 },
    // One contract-month per invocation in AWS (seconds); a whole district in the local run.
    timeoutSeconds: 900,
    // GetItem/BatchGetItem/Query: the contract, its facts, the statements; PutItem: the
    // statement and its computation (one transaction) and the notices.
    mainTable: ['GetItem', 'BatchGetItem', 'Query', 'PutItem'],
  },
];

/** Main-table actions of an object-created handler: it also changes items in place (UpdateItem). */
export type ObjectTableAction = TableAction | 'UpdateItem';

/**
 * A handler of S3 ObjectCreated notifications: one Lambda each, invoked asynchronously by the
 * bucket for keys under `prefix`. The CDK stack (infra/stateless.ts: the Lambda, the bucket
 * notification, async retries and an on-failure queue) and the local stack's s3rver event
 * emulation (infra/local) are both built from this list. Data only, like the list above.
 */
export interface ObjectCreatedHandlerManifest {
  readonly name: string;
  /** Path of the entry, relative to the repository root (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** Which bucket notifies (infra/definitions.ts). */
  readonly bucket: 'proofs' | 'exports';
  /** Only keys under this prefix notify; the handler may read only these objects. */
  readonly prefix: string;
  readonly timeoutSeconds: number;
  /** Async invocations retried by Lambda after a failure (0–2) before the on-failure queue. */
  readonly retryAttempts: number;
  /** Main-table actions, and nothing else. */
  readonly mainTable: readonly ObjectTableAction[];
  /**
   * Optional: the write actions of `mainTable` (PutItem, UpdateItem) hold only on partitions
   * whose key is like this (an IAM `dynamodb:LeadingKeys` pattern); reads stay table-wide.
   */
  readonly writesLeadingKeys?: string;
  /** Optional: the handler also writes objects (PutObject) under this prefix of its bucket. */
  readonly writesPrefix?: string;
  /** Lambda memory in MB; default the construct's (512). */
  readonly memoryMb?: number;
}

export const objectCreatedHandlers: readonly ObjectCreatedHandlerManifest[] = [
  {
    name: 'proof-ingest',
    entry: 'functions/events/proof-ingest.ts',
    description: 'reads each uploaded proof photo and records its evidence item: type, size, sha-256, EXIF (issue 5)',
    bucket: 'proofs',
    prefix: 'proofs/',
    // Streaming a 15 MiB photo takes a second or two; a minute covers the SDK's own retries.
    timeoutSeconds: 60,
    retryAttempts: 2,
    // GetItem: the evidence item and the tenant's zone; UpdateItem: the ingest result on the
    // awaiting item; PutItem: the refusal of an object nobody was issued.
    mainTable: ['GetItem', 'UpdateItem', 'PutItem'],
  },
  {
    name: 'export-worker',
    entry: 'functions/events/export-worker.ts',
    description: 'writes the XLSX or CSV file of each queued statement export job and marks the job ready or failed (issue 16)',
    bucket: 'exports',
    prefix: 'jobs/',
    // A month's workbook takes a second or two; exceljs's first load about one more.
    timeoutSeconds: 120,
    retryAttempts: 2,
    // GetItem: the job, the statement, the tenant; BatchGetItem: the names; UpdateItem: the
    // job's claim and its end, on the job partitions only.
    mainTable: ['GetItem', 'BatchGetItem', 'UpdateItem'],
    writesLeadingKeys: 'T#*#EXPORT-JOBS',
    writesPrefix: 'exports/',
    // exceljs builds the workbook in memory; more memory is also more CPU.
    memoryMb: 1024,
  },
];
