import type { TestProject } from 'vitest/node';
import { describeLocalStack, startLocalStack, type LocalStack } from './local-stack';

/**
 * globalSetup of the `integration` project (vitest.config.ts): one DynamoDB Local + s3rver
 * pair, with the tables and buckets of infra/definitions.ts, for the whole run. Test files
 * read it with `localStack()` from ./local-stack (vitest `inject`); its environment is also
 * put into this process's env, which the test workers inherit.
 */

let stack: LocalStack | undefined;
let stopWorkers: (() => void) | undefined;

/**
 * The object handlers this process runs for s3rver's own notifications, as `npm start` does:
 * the export worker (issue 16), so a test's export request is answered by the worker for real.
 * Proof ingest is not among them: its tests deliver its events themselves
 * (test/helpers/s3-events.ts), duplicated, reordered or raced as each test needs.
 */
const workersRunHere = ['export-worker'];

export async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  stack = await startLocalStack();
  const info = describeLocalStack(stack, Date.now() - started);
  project.provide('localStack', info);
  Object.assign(process.env, info.env);
  const [{ startObjectEventHandlers }, { objectCreatedHandlers }] = await Promise.all([import('../../infra/local/object-events'), import('../../functions/events/manifest')]);
  stopWorkers = startObjectEventHandlers(stack.s3, { handlers: objectCreatedHandlers.filter((handler) => workersRunHere.includes(handler.name)), retryPauseMs: 200 });
}

export async function teardown(): Promise<void> {
  stopWorkers?.();
  await stack?.stop();
  stack = undefined;
}
