import { readFileSync } from 'node:fs';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { newApiKey } from '../../domain/api-keys/api-key';
import { contractorIdFor } from '../../domain/contractors/identity';
import type { ImportSegmentsResult } from '../../domain/segments/import';
import type { Role } from '../../domain/policy';
import { Tenant } from '../../domain/tenants/schema';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { localDynamoClient } from './aws';
import { devToken } from './dev-auth';
import type { AdapterRequest, AdapterResponse } from './http-adapter';
import { demoContractors, SeedError, seedDemoProcurement, type ProcurementSeedOutcome } from './seed-procurement';
import { seedDemoStatements, type SeededStatement } from './seed-statements';
import { seedDemoEndedMonth, type EndedMonthSeedOutcome } from './seed-ended-month';
import { localDate } from '../../domain/dates';

export { SeedError } from './seed-procurement';

/**
 * The demo district: 静安区, Shanghai — one tenant, three streets (街道) and 50 segments
 * (every grade, both flags, lines, a dual carriageway, squares and a park) from
 * demo-district.geojson. Positions are hand-placed WGS84 approximations of the real roads
 * (within about 100 m), not survey data.
 */

export const demoTenantId = 'demo-jingan';

/** The tenant's fields other than its creation time. */
export const demoTenant = {
  tenantId: demoTenantId,
  name: '静安区城市管理局 (demo)',
  zone: 'Asia/Shanghai',
} as const;

/** One demo user per role (DESIGN §4). */
export interface DemoUser {
  readonly role: Role;
  readonly sub: string;
  readonly contractorId?: string;
}

/**
 * The demo contractor user's company, 上海静洁环卫服务有限公司 (fictitious): a unified social
 * credit code for 静安区 (310106) whose two check characters (GB 11714, GB 32100-2015) hold.
 * The seed registers it and it wins the demo cleaning tender (seed-procurement.ts), so the
 * contractor token sees a real contractor record and one active contract.
 */
export const demoContractorCode = demoContractors.cleaning.code;

/** Its contractor id in the demo tenant — what `custom:contractor_id` carries (domain/contractors/identity.ts). */
export const demoContractorId = contractorIdFor(demoTenantId, demoContractorCode);

export const demoUsers: readonly DemoUser[] = [
  { role: 'procurement', sub: 'demo-procurement' },
  { role: 'contractor', sub: 'demo-contractor', contractorId: demoContractorId },
  { role: 'inspector', sub: 'demo-inspector' },
  { role: 'finance', sub: 'demo-finance' },
  { role: 'admin', sub: 'demo-admin' },
];

/**
 * The demo district's Open311 api_key, for the demo client app (issue 13: POST Service Request
 * needs one). DEV ONLY and public on purpose, like the dev tokens' key: a fixed key lets the
 * banner and the README show a working request after every restart. In AWS the district's
 * administrator issues keys (POST /v1/open311/api-keys), each shown once.
 */
export const demoOpen311Client = { keyId: 'key_0000000000000000000000demo', client: '12345 市民热线 App (demo)' } as const;
export const demoOpen311ApiKey = `${demoOpen311Client.keyId}.xiuhua-demo-open311-key-DEV-ONLY`;

/** A dev token for a demo user (12 h). */
export function demoToken(user: DemoUser): Promise<string> {
  return devToken({
    role: user.role,
    tenantId: demoTenantId,
    sub: user.sub,
    ...(user.contractorId === undefined ? {} : { contractorId: user.contractorId }),
  });
}

/** The demo district's FeatureCollection, as a district GIS would export it. */
export function demoFeatureCollection(): { type: 'FeatureCollection'; features: unknown[] } {
  return JSON.parse(readFileSync(new URL('./demo-district.geojson', import.meta.url), 'utf8')) as {
    type: 'FeatureCollection';
    features: unknown[];
  };
}

export interface SeedOptions {
  readonly dynamodbEndpoint: string;
  readonly tableName: string;
  /** The adapter's in-process dispatch: segments go in through the real import route. */
  readonly dispatch: (request: AdapterRequest) => Promise<AdapterResponse>;
  readonly now?: Date;
}

export interface SeedOutcome {
  readonly tenant: 'created' | 'existed';
  /** The import's answer, or 'skipped' when the tenant already had segments. */
  readonly segments: ImportSegmentsResult | 'skipped';
}

/** What `seedDemo` did: the district, then its procurement. */
export interface DemoSeedOutcome extends SeedOutcome {
  /**
   * The procurement records, or why they are incomplete: on a persisted folder the seed works
   * over the data as the developer left it (a segment retired, a contract terminated), and a
   * refusal there is reported instead of stopping the stack.
   */
  readonly procurement: ProcurementSeedOutcome | { readonly problem: string };
}

/** What `seedDemoMonths` did: the month that has ended, and the running month's statements. */
export interface DemoMonthsOutcome {
  readonly ended: EndedMonthSeedOutcome | { readonly problem: string };
  /** The running month's statement of each seeded contract (seed-statements.ts), or why there is none. */
  readonly statements: readonly SeededStatement[] | { readonly problem: string };
}

/**
 * The district and its procurement (issue 3 "The local demo seed grows"): the segments, then
 * three contractors, an awarded cleaning tender and two active contracts (seed-procurement.ts),
 * all through the API. The statements come after the missed-task sweep's first run
 * (`seedDemoMonths`). Idempotent: a second run finds everything and writes nothing.
 */
export async function seedDemo(options: SeedOptions): Promise<DemoSeedOutcome> {
  const district = await seedDemoDistrict(options);
  const procurementUser = demoUsers.find((user) => user.role === 'procurement')!;
  try {
    const procurement = await seedDemoProcurement({
      tenantId: demoTenant.tenantId,
      zone: demoTenant.zone,
      dispatch: options.dispatch,
      token: await demoToken(procurementUser),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    return { ...district, procurement };
  } catch (error) {
    // A fresh district must seed completely; a refusal there is a bug to see at once.
    if (!(error instanceof SeedError) || district.segments !== 'skipped') throw error;
    return { ...district, procurement: { problem: error.message } };
  }
}

/**
 * The demo's months (issue 15), once the missed-task sweep has caught up over the seeded
 * contracts (start.ts), so each statement says what the stored facts say:
 * - the month that has ended (seed-ended-month.ts): a unit-rate municipal contract from last
 *   month's 1st, its last month's statement computed and reviewed by demo-finance, for
 *   demo-finance-2 to approve. Entered after the sweep's catch-up, it is swept from the
 *   sweep's checkpoint on, as a contract registered late is in AWS;
 * - the running month's statement of the three contracts (seed-statements.ts), computed after
 *   the catch-up so the cleaning contract's shows the tasks missed since the 1st.
 * A refusal on a persisted folder the developer changed is reported, not thrown.
 */
export async function seedDemoMonths(options: SeedOptions & { readonly procurement: ProcurementSeedOutcome; readonly persisted: boolean }): Promise<DemoMonthsOutcome> {
  const financeToken = await demoToken(demoUsers.find((user) => user.role === 'finance')!);
  const reported = async <T>(step: () => Promise<T>): Promise<T | { readonly problem: string }> => {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof SeedError) || !options.persisted) throw error;
      return { problem: error.message };
    }
  };
  const ended = await reported(async () =>
    seedDemoEndedMonth({
      tenantId: demoTenant.tenantId,
      zone: demoTenant.zone,
      dispatch: options.dispatch,
      procurementToken: await demoToken(demoUsers.find((user) => user.role === 'procurement')!),
      financeToken,
      ...(options.now === undefined ? {} : { now: options.now }),
    }),
  );
  const { cleaning, municipal } = options.procurement.contracts;
  const statements = await reported(() =>
    seedDemoStatements({
      dispatch: options.dispatch,
      token: financeToken,
      contractIds: [cleaning.contractId, municipal.contractId, ...('problem' in ended ? [] : [ended.contract.contractId])],
      // The running month by the server's clock, as the API counts it (a statement of a month not begun is refused).
      month: localDate(options.now ?? new Date(), demoTenant.zone).slice(0, 7),
    }),
  );
  return { ended, statements };
}

/**
 * Seeds the demo district. Idempotent: the tenant is a conditional put, and segments are
 * imported only while the tenant has none — so a persisted folder keeps the developer's
 * edits to seeded segments across restarts instead of having them re-imported over.
 */
export async function seedDemoDistrict(options: SeedOptions): Promise<SeedOutcome> {
  // The district's Open311 client app comes with it: reports need its api_key.
  await seedDemoOpen311Key(options);
  const client = DynamoDBDocumentClient.from(localDynamoClient(options.dynamodbEndpoint));
  try {
    const tenant = Tenant.parse({ ...demoTenant, createdAt: (options.now ?? new Date()).toISOString() });
    let tenantOutcome: SeedOutcome['tenant'] = 'created';
    try {
      await client.send(
        new PutCommand({
          TableName: options.tableName,
          Item: { ...keys.tenant(tenant.tenantId), entity: entityTypes.tenant, ...tenant },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw new SeedError(`could not write the tenant ${tenant.tenantId}`, { cause: error });
      }
      tenantOutcome = 'existed';
    }
    if (tenantOutcome === 'existed' && (await hasSegments(client, options.tableName, tenant.tenantId))) {
      return { tenant: tenantOutcome, segments: 'skipped' };
    }
    return { tenant: tenantOutcome, segments: await importDemoSegments(options.dispatch) };
  } finally {
    client.destroy();
  }
}

/**
 * The demo client app's api_key record (its hash, as the API stores one), put once: a
 * persisted folder keeps the record, and a revoked demo key stays revoked.
 */
async function seedDemoOpen311Key(options: SeedOptions): Promise<void> {
  const client = DynamoDBDocumentClient.from(localDynamoClient(options.dynamodbEndpoint));
  const key = newApiKey({ ...demoOpen311Client, tenantId: demoTenantId, contact: undefined, apiKey: demoOpen311ApiKey, by: 'xiuhua-local-seed', at: options.now ?? new Date() });
  try {
    await client.send(
      new PutCommand({
        TableName: options.tableName,
        Item: { ...keys.open311ApiKey(demoTenantId, key.keyId), entity: entityTypes.open311ApiKey, ...key },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw new SeedError('could not write the demo Open311 api_key', { cause: error });
  } finally {
    client.destroy();
  }
}

async function hasSegments(client: DynamoDBDocumentClient, tableName: string, tenantId: string): Promise<boolean> {
  const page = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.segmentsPartition(tenantId) },
      Limit: 1,
    }),
  );
  return (page.Items?.length ?? 0) > 0;
}

/** POST /v1/segments/imports as the demo procurement officer, through the adapter. */
async function importDemoSegments(dispatch: SeedOptions['dispatch']): Promise<ImportSegmentsResult> {
  const procurement = demoUsers.find((user) => user.role === 'procurement')!;
  const response = await dispatch({
    method: 'POST',
    url: '/v1/segments/imports',
    headers: {
      authorization: `Bearer ${await demoToken(procurement)}`,
      'content-type': 'application/json',
      'user-agent': 'xiuhua-local-seed',
    },
    body: JSON.stringify({ featureCollection: demoFeatureCollection() }),
  });
  const text = response.body.toString('utf8');
  if (response.statusCode !== 200) {
    throw new SeedError(`the demo district import was refused: ${response.statusCode} ${text}`);
  }
  return JSON.parse(text) as ImportSegmentsResult;
}
