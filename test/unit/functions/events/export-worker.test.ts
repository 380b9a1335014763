import { describe, expect, it } from 'vitest';
import type { S3Event } from 'aws-lambda';
import type { ExportJob, RunExportJobDeps } from '../../../../domain/payments/export-jobs';
import { createExportWorker } from '../../../../functions/events/export-worker';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const jobId = 'exj_01jnq00000000000000000job1';

function event(...keys: string[]): S3Event {
  return { Records: keys.map((key) => ({ s3: { object: { key } } })) } as unknown as S3Event;
}

/** Deps whose job store claims nothing (every job already finished) unless told to fail. */
function deps(claim: (tenantId: string, jobId: string) => Promise<ExportJob | undefined>): { deps: RunExportJobDeps; claimed: string[] } {
  const claimed: string[] = [];
  return {
    claimed,
    deps: {
      jobs: {
        claim: async (tenantId, id) => {
          claimed.push(`${tenantId}/${id}`);
          return claim(tenantId, id);
        },
        finish: async () => true,
      },
      statement: async () => undefined,
      objects: { put: async () => undefined, presignGet: async () => '' },
      xlsx: async () => new Uint8Array(),
      clock: { now: () => new Date('2025-07-02T02:00:00Z') },
    } as RunExportJobDeps,
  };
}

describe('the export worker', () => {
  it('runs the job each job object names (the key URL-decoded as S3 sends it), and ignores other keys', async () => {
    // Prepare
    const d = deps(async () => undefined);

    // Act
    const summary = await createExportWorker(() => d.deps, quiet)(event(`jobs/tenant+a/${jobId}.json`, 'jobs/readme.txt', 'exports/x.csv'));

    // Assess
    expect(d.claimed).toEqual([`tenant a/${jobId}`]);
    expect(summary.runs).toEqual([{ outcome: 'skipped', key: `jobs/tenant a/${jobId}.json` }]);
  });

  it('tries every record, then fails the invocation naming the jobs that failed, for Lambda to retry', async () => {
    // Prepare
    const d = deps(async (tenantId) => {
      if (tenantId === 'bad') throw new Error('DynamoDB throttled');
      return undefined;
    });

    // Act
    const run = createExportWorker(() => d.deps, quiet)(event(`jobs/bad/${jobId}.json`, `jobs/good/${jobId}.json`));

    // Assess
    await expect(run).rejects.toThrow(`export failed for 1 of 2 jobs: jobs/bad/${jobId}.json`);
    expect(d.claimed).toEqual([`bad/${jobId}`, `good/${jobId}`]);
  });
});
