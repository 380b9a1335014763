import type { S3Event, S3EventRecord } from 'aws-lambda';
import { ingestObject, type IngestDeps, type IngestOutcome } from '../../domain/proofs/ingest-use-case';
import { DynamoEvidenceStore } from '../adapters/dynamodb/evidence-store';
import { DynamoTenantDirectory } from '../adapters/dynamodb/task-outcome-store';
import { readExif } from '../adapters/s3/exif';
import { readImageHeader } from '../adapters/s3/image-header';
import { S3ProofObjectReader } from '../adapters/s3/proof-objects';
import { documentClient } from '../shared/clients';
import { env } from '../shared/env';
import { withSystemAudit } from '../shared/audit-context';
import { logger } from '../shared/logger';
import { decodeS3Key } from './s3-keys';
import { systemClock } from '../shared/system';

/**
 * Proof photo ingest (issue 5, "Ingest"): the proofs bucket's ObjectCreated notification in
 * AWS (infra/stateless.ts), the s3rver event emulation on the local stack (infra/local), both
 * with this module. Each record goes through domain/proofs/ingest-use-case.ts.
 *
 * S3 delivers at least once and out of order; the use case's conditional writes make every
 * repeat a no-op. A record that fails (throttling, S3 5xx) does not stop the others: all are
 * tried, then the invocation fails naming the failed keys, so Lambda's async retry (and then
 * the on-failure queue) sees it, and the retry redoes only what is not yet recorded.
 */

export type IngestLog = Pick<typeof logger, 'info' | 'warn' | 'error'>;

export interface IngestSummary {
  readonly outcomes: readonly (IngestOutcome & { readonly key: string })[];
}

export { decodeS3Key };

let defaultDeps: IngestDeps | undefined;

/** Built once per container, at the first event (the environment is read then). */
function productionDeps(): IngestDeps {
  if (defaultDeps === undefined) {
    const tenants = new DynamoTenantDirectory(documentClient(), env.mainTable);
    defaultDeps = {
      evidence: new DynamoEvidenceStore(documentClient(), env.mainTable),
      objects: new S3ProofObjectReader(),
      readExif,
      readImageHeader,
      clock: systemClock,
      tenantZone: (tenantId) => tenants.zoneOf(tenantId),
    };
  }
  return defaultDeps;
}

/** A handler over the given ports (tests inject failing stores and readers). */
export function createIngestHandler(depsOf: () => IngestDeps = productionDeps, log: IngestLog = logger): (event: S3Event) => Promise<IngestSummary> {
  return withSystemAudit('proof-ingest', 'proofIngest', async (event: S3Event) => {
    const deps = depsOf();
    const outcomes: (IngestOutcome & { key: string })[] = [];
    const failed: { key: string; error: unknown }[] = [];
    for (const record of event.Records ?? []) {
      let key = record.s3?.object?.key ?? '';
      try {
        key = decodeS3Key(key);
        const outcome = await ingestObject(deps, storedObjectOf(record, key));
        outcomes.push({ ...outcome, key });
        logOutcome(log, key, outcome);
      } catch (error) {
        log.error('proof ingest failed for an object; the event will be retried', { key, error: error as Error });
        failed.push({ key, error });
      }
    }
    if (failed.length > 0) {
      throw new AggregateError(
        failed.map((failure) => failure.error),
        `proof ingest failed for ${failed.length} of ${event.Records?.length ?? 0} objects: ${failed.map((failure) => failure.key).join(', ')}`,
      );
    }
    return { outcomes };
  });
}

function storedObjectOf(record: S3EventRecord, key: string): Parameters<typeof ingestObject>[1] {
  const object = record.s3.object;
  return {
    key,
    sizeBytes: object.size,
    eventTime: new Date(record.eventTime).toISOString(),
    ...(object.versionId === undefined || object.versionId === '' ? {} : { versionId: object.versionId }),
    ...(object.eTag === undefined || object.eTag === '' ? {} : { eTag: object.eTag }),
  };
}

function logOutcome(log: IngestLog, key: string, outcome: IngestOutcome): void {
  if (outcome.outcome === 'ignored') {
    log.info('object ignored by proof ingest', { key, reason: outcome.reason });
    return;
  }
  const { result } = outcome;
  log.info('proof ingest', {
    key,
    outcome: outcome.outcome,
    tenantId: outcome.tenantId,
    evidenceId: outcome.evidenceId,
    ...(result === undefined ? {} : { status: result.status, ...(result.status === 'refused' ? { refusal: result.refusal } : {}) }),
  });
}

export const handler = createIngestHandler();
