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
];
