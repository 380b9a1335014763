import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../adapters/dynamodb/keys';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';

/**
 * Names beside ids on the orders a crew reads (issue 13): the contract's title and its
 * contractor's registered name next to `contractId` and `contractorId`.
 *
 * Read when answering, not copied into the orders when they are written: a contractor's name
 * and a contract's title change (update-contractor, a re-titled contract), and a copy would go
 * stale on every order already issued. The read is one BatchGetItem with a projection, both
 * keys known from the order itself (it carries contractId and contractorId), so a page of one
 * contract's orders costs one extra round trip of two small items, whatever its size.
 *
 * No other contractor's name can be shown: the names read are those of the contract and the
 * contractor the order already names, and the use case has authorized the caller for the
 * order (a contractor user reaches only its own).
 */

export interface ContractNames {
  /** The contract's title (合同名称), e.g. 鼓楼区道路清扫保洁服务合同 (2026). */
  readonly contractTitle?: string;
  /** The contractor's registered name (作业单位名称). */
  readonly contractorName?: string;
}

export interface ContractRef {
  readonly contractId: string;
  readonly contractorId: string;
}

/** A reader of the names of contracts and contractors, by id. */
export type ContractNameReader = (tenantId: string, refs: readonly ContractRef[]) => Promise<ContractNameIndex>;

export interface ContractNameIndex {
  readonly contracts: ReadonlyMap<string, string>;
  readonly contractors: ReadonlyMap<string, string>;
}

const maxBatchGet = 100;

/** The DynamoDB reader: projected BatchGetItem of the distinct contract and contractor items. */
export function dynamoContractNames(client: DynamoDBDocumentClient, tableName: string): ContractNameReader {
  return async (tenantId, refs) => {
    const contracts = new Map<string, string>();
    const contractors = new Map<string, string>();
    const wanted = new Map<string, Record<string, string>>();
    for (const ref of refs) {
      const contractKey = keys.contract(tenantId, ref.contractId);
      const contractorKey = keys.contractor(tenantId, ref.contractorId);
      wanted.set(`${contractKey.pk}\u0000${contractKey.sk}`, contractKey as unknown as Record<string, string>);
      wanted.set(`${contractorKey.pk}\u0000${contractorKey.sk}`, contractorKey as unknown as Record<string, string>);
    }
    const all = [...wanted.values()];
    for (let start = 0; start < all.length; start += maxBatchGet) {
      let pending: Record<string, unknown>[] = all.slice(start, start + maxBatchGet);
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(200, 20 * 2 ** attempt)));
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ProjectionExpression: '#entity, contractId, contractorId, title, #name, tenantId',
                ExpressionAttributeNames: { '#entity': 'entity', '#name': 'name' },
              },
            },
          }),
        );
        for (const item of result.Responses?.[tableName] ?? []) {
          if (item['tenantId'] !== tenantId) continue;
          if (typeof item['title'] === 'string' && typeof item['contractId'] === 'string') contracts.set(item['contractId'], item['title']);
          else if (typeof item['name'] === 'string' && typeof item['contractorId'] === 'string' && item['contractId'] === undefined) contractors.set(item['contractorId'], item['name']);
        }
        pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
        if (attempt >= 8 && pending.length > 0) throw new Error(`could not read the names of ${pending.length} contract(s) or contractor(s): DynamoDB left them unprocessed`);
      }
    }
    return { contracts, contractors };
  };
}

let reader: ContractNameReader | undefined;

/** The reader on the main table, built at first use. */
export function contractNameReader(): ContractNameReader {
  reader ??= dynamoContractNames(documentClient(), env.mainTable);
  return reader;
}

/** The record with its contract's title and contractor's name beside the ids (each absent when not found). */
export function withContractNames<T extends ContractRef>(record: T, index: ContractNameIndex): T & ContractNames {
  const contractTitle = index.contracts.get(record.contractId);
  const contractorName = index.contractors.get(record.contractorId);
  return {
    ...record,
    ...(contractTitle === undefined ? {} : { contractTitle }),
    ...(contractorName === undefined ? {} : { contractorName }),
  };
}

/** One record, named. */
export async function namedRecord<T extends ContractRef>(tenantId: string, record: T, read: ContractNameReader = contractNameReader()): Promise<T & ContractNames> {
  return withContractNames(record, await read(tenantId, [record]));
}

/** A page of records, named with one read. */
export async function namedPage<T extends ContractRef, P extends { readonly items: readonly T[] }>(
  tenantId: string,
  page: P,
  read: ContractNameReader = contractNameReader(),
): Promise<Omit<P, 'items'> & { items: (T & ContractNames)[] }> {
  if (page.items.length === 0) return { ...page, items: [] };
  const index = await read(tenantId, page.items);
  return { ...page, items: page.items.map((item) => withContractNames(item, index)) };
}
