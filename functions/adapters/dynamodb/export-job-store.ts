import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../domain/errors';
import type { ExportJob, ExportJobOutcome, ExportJobStore } from '../../../domain/payments/export-jobs';
import { issuedByThisRequest } from '../../shared/request-ids';
import { entityTypes, keys } from './keys';

/**
 * Export jobs (issue 16) in the main table, `T#{t}#EXPORT-JOBS / JOB#{jobId}` (keys.ts). A job
 * is a work item, not a record of the district: no versions and no audit entry (the statement
 * it exports is audited; the file can be made again). It expires (TTL) 30 days after the
 * request, long after its five-minute links. Imports no zod and no audit log: the worker's
 * bundle stays small (test/bench/bundles.ts).
 */

const ttlDays = 30;
const keyAttributes = new Set(['pk', 'sk', 'entity', 'expiresAt']);

function jobOf(item: Record<string, unknown>): ExportJob {
  const job: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) if (!keyAttributes.has(name)) job[name] = value;
  return job as unknown as ExportJob;
}

export class DynamoExportJobStore implements ExportJobStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: ExportJob): Promise<void> {
    const expiresAt = Math.ceil(Date.parse(job.createdAt) / 1000) + ttlDays * 86_400;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.exportJob(job.tenantId, job.jobId), entity: entityTypes.exportJob, expiresAt, ...job },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // A retry of the same idempotent request draws the same job id (request-ids.ts): its job is this one.
      if (error instanceof ConditionalCheckFailedException && issuedByThisRequest(job.jobId)) return;
      if (error instanceof ConditionalCheckFailedException) throw new ConflictError(`export job '${job.jobId}' already exists`, { cause: error, zh: `导出任务 '${job.jobId}' 已存在` });
      throw error;
    }
  }

  async get(tenantId: string, jobId: string): Promise<ExportJob | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.exportJob(tenantId, jobId), ConsistentRead: true }));
    return Item === undefined ? undefined : jobOf(Item);
  }

  async claim(tenantId: string, jobId: string, at: string): Promise<ExportJob | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.exportJob(tenantId, jobId),
          UpdateExpression: 'SET #status = :running, #startedAt = :at ADD #attempts :one',
          ConditionExpression: 'attribute_exists(pk) AND #status IN (:queued, :running)',
          ExpressionAttributeNames: { '#status': 'status', '#startedAt': 'startedAt', '#attempts': 'attempts' },
          ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':at': at, ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes === undefined ? undefined : jobOf(Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async finish(tenantId: string, jobId: string, outcome: ExportJobOutcome): Promise<boolean> {
    const fields: Record<string, unknown> = { ...outcome };
    const names = Object.fromEntries(Object.keys(fields).map((name, index) => [`#f${index}`, name]));
    const values = Object.fromEntries(Object.values(fields).map((value, index) => [`:f${index}`, value]));
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.exportJob(tenantId, jobId),
          UpdateExpression: `SET ${Object.keys(names).map((name, index) => `${name} = :f${index}`).join(', ')}`,
          ConditionExpression: '#current = :running',
          ExpressionAttributeNames: { ...names, '#current': 'status' },
          ExpressionAttributeValues: { ...values, ':running': 'running' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
