import type { TestProject } from 'vitest/node';
import { describeLocalStack, startLocalStack, type LocalStack } from './local-stack';

/**
 * globalSetup of the `integration` project (vitest.config.ts): one DynamoDB Local + s3rver
 * pair, with the tables and buckets of infra/definitions.ts, for the whole run. Test files
 * read it with `localStack()` from ./local-stack (vitest `inject`); its environment is also
 * put into this process's env, which the test workers inherit.
 */

let stack: LocalStack | undefined;

export async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  stack = await startLocalStack();
  const info = describeLocalStack(stack, Date.now() - started);
  project.provide('localStack', info);
  Object.assign(process.env, info.env);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  stack = undefined;
}
