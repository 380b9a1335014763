import * as z from 'zod';
import { dynamoNames, type NameIndex, type NameReader, type NameRequest } from '../../adapters/dynamodb/names';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';

/**
 * Names beside ids in what a crew reads (issue 13): a contract's title and its contractor's
 * registered name next to `contractId` and `contractorId`, a segment's name and street next
 * to `segmentId`.
 *
 * Read when answering, not copied into the records when they are written: a contractor's name,
 * a contract's title and a segment's name change (update-contractor, a renamed road), and a
 * copy would go stale on every order and task already issued. The read is one BatchGetItem
 * with a projection (a segment's geometry is never read) of the distinct items a page names,
 * their keys known from the records themselves, so a page costs one extra round trip of a few
 * small items whatever its size.
 *
 * No other contractor's names can be shown: the names read are those of the contract, the
 * contractor and the segment the record already names, and the use case has authorized the
 * caller for the record (a contractor user reaches only its own). A name that is not found
 * (a record of a deleted item, say) is left out rather than invented.
 */

export { dynamoNames, type NameIndex, type NameReader, type NameRequest, type SegmentName } from '../../adapters/dynamodb/names';

let reader: NameReader | undefined;

/** The reader on the main table, built at first use. */
export function nameReader(): NameReader {
  reader ??= dynamoNames(documentClient(), env.mainTable);
  return reader;
}

// ---------------------------------------------------------------------------------------
// Names of orders: rectification orders and work orders.

/** Fields an order answer carries beside its ids (each absent when its item is not found). */
export const OrderNames = z.object({
  contractTitle: z.string().optional().describe('the contract\'s title (合同名称), read when answering'),
  contractorName: z.string().optional().describe("the contractor's registered name (作业单位名称), read when answering"),
  segmentName: z.string().optional().describe("the segment's name (路段名称), e.g. 南京西路(华山路—常德路)"),
  street: z.string().optional().describe("the segment's street (街道)"),
});
export type OrderNames = z.infer<typeof OrderNames>;

/** What an order names: its contract, its contractor and its segment. */
export interface OrderRef {
  readonly contractId: string;
  readonly contractorId: string;
  readonly segmentId: string;
}

/**
 * What a record that may not name all three names (issue 14): a complaint names a contract,
 * its contractor and a segment once routed, only a candidate segment before. An absent id
 * gets no name.
 */
export type PartialRef = Partial<OrderRef>;

const defined = (ids: readonly (string | undefined)[]): Set<string> => new Set(ids.filter((id): id is string => id !== undefined));

function orderRequest(refs: readonly PartialRef[]): NameRequest {
  return {
    contractIds: defined(refs.map((ref) => ref.contractId)),
    contractorIds: defined(refs.map((ref) => ref.contractorId)),
    segmentIds: defined(refs.map((ref) => ref.segmentId)),
  };
}

/** The record with the names of what `ref` names beside its ids. */
export function withOrderNames<T extends object>(record: T, ref: PartialRef, index: NameIndex): T & OrderNames {
  const contractTitle = ref.contractId === undefined ? undefined : index.contracts.get(ref.contractId);
  const contractorName = ref.contractorId === undefined ? undefined : index.contractors.get(ref.contractorId);
  const segment = ref.segmentId === undefined ? undefined : index.segments.get(ref.segmentId);
  return {
    ...record,
    ...(contractTitle === undefined ? {} : { contractTitle }),
    ...(contractorName === undefined ? {} : { contractorName }),
    ...(segment === undefined ? {} : { segmentName: segment.name, street: segment.street }),
  };
}

/** One order, named with one read; `refOf` says what it names. */
export async function namedOrder<T extends object>(tenantId: string, record: T, refOf: (record: T) => PartialRef, read: NameReader = nameReader()): Promise<T & OrderNames> {
  const ref = refOf(record);
  return withOrderNames(record, ref, await read(tenantId, orderRequest([ref])));
}

/** A page of orders, named with one read. */
export async function namedOrderPage<T extends object, P extends { readonly items: readonly T[] }>(
  tenantId: string,
  page: P,
  refOf: (record: T) => PartialRef,
  read: NameReader = nameReader(),
): Promise<Omit<P, 'items'> & { items: (T & OrderNames)[] }> {
  if (page.items.length === 0) return { ...page, items: [] };
  const refs = page.items.map(refOf);
  const index = await read(tenantId, orderRequest(refs));
  return { ...page, items: page.items.map((item, i) => withOrderNames(item, refs[i]!, index)) };
}
