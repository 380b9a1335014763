import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ScopeChangedError } from '../../../domain/contracts/contract';
import { holdingStatuses } from '../../../domain/contracts/overlap';
import type { ContractStore, ContractWrite, HoldingContracts } from '../../../domain/contracts/ports';
import type { Contract, ContractFilter, ContractTerms } from '../../../domain/contracts/schema';
import { ConflictError, RuleViolationError, StaleVersionError } from '../../../domain/errors';
import type { Page, PageRequest } from '../../../domain/ports';
import type { ServiceType } from '../../../domain/service-types';
import { entityTypes, keys, type ItemKey } from './keys';
import { backoff, stripKeys, VersionedItems, type GuardItem, type RecordCodec } from './versioned-items';

/**
 * How a contract is laid out (issue 13: a 679 KB rulebook, a contract whose third amendment no
 * longer fit DynamoDB's 400 KB item). Measured on the old layout, where every terms version
 * carried its own copy of scope, pricing and rulebook: a schema-valid version could take
 * ~235 KB of scope (5 000 ids), ~325 KB of rate card (500 items) and ~700 KB of rulebook, so
 * one version could overflow the item and a shipped-size rulebook of ~130 KB overflowed at the
 * third amendment. Now:
 * - the contract item keeps the record (dates, status history, and per terms version its
 *   dates, amendment and three references) — about 0.5–2.5 KB per version;
 * - each terms part (scope, pricing, rulebook) is an item of its own, addressed by the
 *   SHA-256 of its JSON (keys.ts `contractTermsPart`), written once in the transaction of the
 *   version that first uses it and never changed; versions that share a part share the item,
 *   so ten amendments of the scope store the rulebook once;
 * - every part fits an item by the schemas' bounds (the rulebook by its byte budget,
 *   `maxRulebookBytes`), and the store measures each item before writing: an item that would
 *   not fit (a history of hundreds of versions and status changes) is a 422, never a 500.
 * Contracts stored before this layout (parts inline in each version) read as they are; the
 * next write stores them in the new layout. The local demo seeds through the API, so no data
 * needs migrating.
 */

const partKinds = ['scope', 'pricing', 'rulebook'] as const;
type PartKind = (typeof partKinds)[number];

/** A terms version as the contract item holds it: the parts by reference. */
type StoredTerms = Omit<ContractTerms, PartKind> & { readonly scopeRef: string; readonly pricingRef: string; readonly rulebookRef: string };
/** A version of the older layout (parts inline) or the current one. */
type ReadTerms = StoredTerms | ContractTerms;
type StoredContract = Omit<Contract, 'versions'> & { readonly versions: readonly StoredTerms[] };
type ReadContract = Omit<Contract, 'versions'> & { readonly versions: readonly ReadTerms[] };

interface TermsPartItem {
  readonly tenantId: string;
  readonly contractId: string;
  readonly kind: PartKind;
  readonly ref: string;
  readonly value: unknown;
}

/** Largest item written, bytes of JSON in UTF-8: DynamoDB's 400 KB less room for its own encoding. */
export const maxContractItemBytes = 380_000;

const refAttribute: Record<PartKind, 'scopeRef' | 'pricingRef' | 'rulebookRef'> = { scope: 'scopeRef', pricing: 'pricingRef', rulebook: 'rulebookRef' };

/** `{kind}#{sha-256 of the JSON, base64url}`: equal parts have equal references. */
export function termsPartRef(kind: PartKind, value: unknown): string {
  return `${kind}#${createHash('sha256').update(JSON.stringify(value)).digest('base64url')}`;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** The contract as its item holds it, and the parts its versions reference. */
function encode(contract: Contract): { stored: StoredContract; parts: TermsPartItem[] } {
  const parts = new Map<string, TermsPartItem>();
  const versions = contract.versions.map((terms): StoredTerms => {
    const { scope, pricing, rulebook, ...rest } = terms;
    const values: Record<PartKind, unknown> = { scope, pricing, rulebook };
    const refs = {} as Record<'scopeRef' | 'pricingRef' | 'rulebookRef', string>;
    for (const kind of partKinds) {
      const ref = termsPartRef(kind, values[kind]);
      refs[refAttribute[kind]] = ref;
      if (!parts.has(ref)) parts.set(ref, { tenantId: contract.tenantId, contractId: contract.contractId, kind, ref, value: values[kind] });
    }
    return { ...rest, ...refs };
  });
  return { stored: { ...contract, versions }, parts: [...parts.values()] };
}

function isInline(terms: ReadTerms): terms is ContractTerms {
  return 'rulebook' in terms;
}

function refsOf(contract: ReadContract): string[] {
  return contract.versions.flatMap((terms) => (isInline(terms) ? [] : [terms.scopeRef, terms.pricingRef, terms.rulebookRef]));
}

function decode(contract: ReadContract, parts: ReadonlyMap<string, unknown>): Contract {
  const part = (ref: string): unknown => {
    if (!parts.has(ref)) throw new Error(`contract '${contract.contractId}': terms part '${ref}' is missing`);
    return parts.get(ref);
  };
  const versions = contract.versions.map((terms): ContractTerms => {
    if (isInline(terms)) return terms;
    const { scopeRef, pricingRef, rulebookRef, ...rest } = terms;
    return { ...rest, scope: part(scopeRef), pricing: part(pricingRef), rulebook: part(rulebookRef) } as ContractTerms;
  });
  return { ...contract, versions };
}

/**
 * No history items: a contract carries its own history (every terms version and every status
 * change), which is what the versions listing and as-of reads need.
 */
const contractCodec: RecordCodec<StoredContract> = {
  entity: entityTypes.contract,
  label: 'contract',
  key: (contract) => keys.contract(contract.tenantId, contract.contractId),
  id: (contract) => contract.contractId,
  version: (contract) => contract.version,
};

const maxBatchGet = 100;
/** Terms parts remembered as stored, per store instance; parts never change, so this never goes stale. */
const maxKnownParts = 20_000;

/** Equality conditions of a list filter, as a FilterExpression. */
function filterOf(filter: ContractFilter): Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames'> & { values: Record<string, unknown> } {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const field of ['status', 'contractorId', 'serviceType'] as const) {
    const value = filter[field];
    if (value === undefined) continue;
    conditions.push(`#${field} = :${field}`);
    names[`#${field}`] = field;
    values[`:${field}`] = value;
  }
  return conditions.length === 0
    ? { values }
    : { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names, values };
}

/**
 * Contracts in the single table: one item per contract in the tenant's contracts partition
 * (a district has hundreds, so lists and the overlap check query that partition with a
 * filter), plus one scope lock item per (tenant, service type).
 *
 * The scope lock closes the race of the overlap rule. An overlap check reads the lock's
 * version, then the holding contracts; the write that passed it advances the lock in the same
 * transaction as the contract, on condition that the version is still the one read. Two
 * overlapping activations that both passed their check cannot both commit: the second fails
 * with ScopeChangedError and the use case checks again, now seeing the first. A per-segment
 * uniqueness item would be too strict (a segment may be in two contracts over disjoint
 * periods) and would need one item per segment; scope changes of a service type are rare
 * (activations and amendments), so serialising them per service type costs nothing.
 */
export class DynamoContractStore implements ContractStore {
  private readonly items: VersionedItems<StoredContract>;
  /** `{tenant}\u0000{contract}\u0000{ref}` of parts read or written: a write puts only the others. */
  private readonly knownParts = new Set<string>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, contractCodec);
  }

  async get(tenantId: string, contractId: string): Promise<Contract | undefined> {
    const stored = (await this.items.get(keys.contract(tenantId, contractId))) as ReadContract | undefined;
    if (stored === undefined) return undefined;
    const [contract] = await this.resolve([stored]);
    return contract;
  }

  /** Newest first: contract ids are ULIDs, so the sort key orders them by creation. */
  async list(tenantId: string, filter: ContractFilter, page: PageRequest): Promise<Page<Contract>> {
    const pk = keys.contractsPartition(tenantId);
    const { values, ...expression } = filterOf(filter);
    const found = await this.items.page(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...expression,
        ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.contractPrefix, ...values },
        ScanIndexForward: false,
      },
      page,
      { pk },
      ['pk', 'sk'],
    );
    return { ...found, items: await this.resolve(found.items as readonly ReadContract[]) };
  }

  /**
   * The lock is read first, then the contracts, both consistently: a write committed before
   * the lock read is in the list; one committed after it has advanced the lock, so a save
   * conditional on the version read here fails. (Read the other way round, a write landing
   * between the two reads would be in neither.)
   */
  async listActiveByServiceType(tenantId: string, serviceType: ServiceType): Promise<HoldingContracts> {
    const scopeVersion = await this.scopeVersion(tenantId, serviceType);
    const contracts = await this.items.all({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#serviceType = :serviceType AND #status IN (:holding0, :holding1)',
      ExpressionAttributeNames: { '#serviceType': 'serviceType', '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': keys.contractsPartition(tenantId),
        ':prefix': keys.contractPrefix,
        ':serviceType': serviceType,
        ':holding0': holdingStatuses[0],
        ':holding1': holdingStatuses[1],
      },
      ConsistentRead: true,
    });
    return { contracts: await this.resolve(contracts as readonly ReadContract[]), scopeVersion };
  }

  async save(write: ContractWrite): Promise<void> {
    const { stored, parts } = encode(write.contract);
    const record = { record: stored, expectedVersion: write.expectedVersion };
    // A new contract's parts are new: its parts partition is its own.
    const newParts = write.expectedVersion === undefined ? parts : await this.unstored(parts);
    checkSizes(stored, newParts);
    const partGuards = newParts.map((part) => this.partGuard(part));
    if (write.checkedScopeVersion === undefined) {
      await this.items.save(record, partGuards);
      this.remember(newParts);
      return;
    }
    try {
      // The lock right after the contract's own items (lockMoved reads its reason there), then the parts.
      await this.items.save(record, [this.scopeLockGuard(write.contract, write.checkedScopeVersion), ...partGuards]);
      this.remember(newParts);
    } catch (error) {
      // The contract's own condition is checked first: a stale If-Match stays a 412.
      if (error instanceof StaleVersionError) throw error;
      if (lockMoved(error, this.items.itemsOf(record).length)) {
        throw new ScopeChangedError(write.contract.tenantId, write.contract.serviceType, { cause: error });
      }
      throw error;
    }
  }

  /**
   * The transaction items of a write that takes no scope lock (a new draft holds no
   * segments), for a caller committing it with items of its own: an award writes the draft
   * contract in the same transaction as the tender.
   */
  itemsOf(write: ContractWrite): ReturnType<VersionedItems<StoredContract>['itemsOf']> {
    if (write.checkedScopeVersion !== undefined) throw new RangeError('a write that takes the scope lock must go through save');
    const { stored, parts } = encode(write.contract);
    checkSizes(stored, parts);
    return [
      ...this.items.itemsOf({ record: stored, expectedVersion: write.expectedVersion }),
      ...parts.map((part) => this.partPut(part)),
    ];
  }

  /** The contracts with their versions' parts read (one BatchGet per 100 distinct parts). */
  private async resolve(contracts: readonly ReadContract[]): Promise<Contract[]> {
    const wanted = new Map<string, ItemKey>();
    for (const contract of contracts) {
      for (const ref of refsOf(contract)) wanted.set(`${contract.tenantId}\u0000${contract.contractId}\u0000${ref}`, keys.contractTermsPart(contract.tenantId, contract.contractId, ref));
    }
    const found = await this.readParts([...wanted.values()], false);
    const byContract = new Map<string, Map<string, unknown>>();
    for (const part of found) {
      const id = `${part.tenantId}\u0000${part.contractId}`;
      const map = byContract.get(id) ?? new Map<string, unknown>();
      map.set(part.ref, part.value);
      byContract.set(id, map);
    }
    this.remember(found);
    return contracts.map((contract) => decode(contract, byContract.get(`${contract.tenantId}\u0000${contract.contractId}`) ?? new Map()));
  }

  /** The parts not yet known to be stored: known ones are skipped, the rest looked up (keys only). */
  private async unstored(parts: readonly TermsPartItem[]): Promise<TermsPartItem[]> {
    const unknown = parts.filter((part) => !this.knownParts.has(knownId(part)));
    if (unknown.length === 0) return [];
    const present = await this.readParts(unknown.map((part) => keys.contractTermsPart(part.tenantId, part.contractId, part.ref)), true);
    this.remember(present);
    const presentIds = new Set(present.map(knownId));
    return unknown.filter((part) => !presentIds.has(knownId(part)));
  }

  private async readParts(partKeys: readonly ItemKey[], keysOnly: boolean): Promise<TermsPartItem[]> {
    const found: TermsPartItem[] = [];
    for (let start = 0; start < partKeys.length; start += maxBatchGet) {
      let pending: Record<string, unknown>[] | undefined = partKeys.slice(start, start + maxBatchGet).map((key) => ({ ...key }));
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error(`BatchGet left ${pending.length} contract terms parts unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const result = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ConsistentRead: true,
                ...(keysOnly ? { ProjectionExpression: 'tenantId, contractId, #ref', ExpressionAttributeNames: { '#ref': 'ref' } } : {}),
              },
            },
          }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.push(stripKeys<TermsPartItem>(item));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }

  private remember(parts: readonly Pick<TermsPartItem, 'tenantId' | 'contractId' | 'ref'>[]): void {
    if (this.knownParts.size + parts.length > maxKnownParts) this.knownParts.clear();
    for (const part of parts) this.knownParts.add(knownId(part));
  }

  private partItem(part: TermsPartItem): Record<string, unknown> {
    return { ...keys.contractTermsPart(part.tenantId, part.contractId, part.ref), entity: entityTypes.contractTermsPart, ...part };
  }

  /** Put, for an award's transaction: a new draft's parts are new (content-addressed, so a repeat is the same item). */
  private partPut(part: TermsPartItem): ReturnType<VersionedItems<StoredContract>['itemsOf']>[number] {
    return { Put: { TableName: this.tableName, Item: this.partItem(part) } };
  }

  /** Put if absent or the same part (content-addressed): never a conflict of its own. */
  private partGuard(part: TermsPartItem): GuardItem {
    const { pk: _pk, sk: _sk, entity: _entity, ...attributes } = this.partItem(part);
    return {
      key: keys.contractTermsPart(part.tenantId, part.contractId, part.ref),
      attributes: { ...attributes, entity: entityTypes.contractTermsPart },
      condition: { expression: 'attribute_not_exists(pk) OR #ref = :ref', names: { '#ref': 'ref' }, values: { ':ref': part.ref } },
      message: `terms part '${part.ref}' of contract '${part.contractId}' holds other content`,
    };
  }

  private async scopeVersion(tenantId: string, serviceType: ServiceType): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.contractScopeLock(tenantId, serviceType), ConsistentRead: true }),
    );
    const version = Item?.['version'];
    return typeof version === 'number' ? version : 0;
  }

  private scopeLockGuard(contract: Contract, checkedVersion: number): GuardItem {
    return {
      key: keys.contractScopeLock(contract.tenantId, contract.serviceType),
      attributes: {
        entity: entityTypes.contractScopeLock,
        tenantId: contract.tenantId,
        serviceType: contract.serviceType,
        version: checkedVersion + 1,
        lastContractId: contract.contractId,
        updatedAt: contract.updatedAt,
      },
      ...(checkedVersion === 0
        ? {}
        : { condition: { expression: '#version = :checked', names: { '#version': 'version' }, values: { ':checked': checkedVersion } } }),
      message: `the ${contract.serviceType} scope lock moved while contract '${contract.contractId}' was being checked`,
    };
  }
}

/**
 * Whether a failed guarded save failed on the scope lock, the item after the contract's own
 * `contractItems` items: its condition failed (another scope change committed), or DynamoDB
 * cancelled the transaction because another one held the lock or the contract at that
 * moment (TransactionConflict). Either way a fresh check decides; a contract that really did
 * change is then refused as stale.
 */
function lockMoved(error: unknown, contractItems: number): boolean {
  const cancelled = error instanceof TransactionCanceledException ? error : error instanceof Error && error.cause instanceof TransactionCanceledException ? error.cause : undefined;
  if (cancelled === undefined) return false;
  const reasons = cancelled.CancellationReasons ?? [];
  if (reasons.some((reason) => reason.Code === 'TransactionConflict')) return true;
  const contractFailed = reasons.slice(0, contractItems).some((reason) => reason.Code === 'ConditionalCheckFailed');
  return error instanceof ConflictError && !contractFailed && reasons[contractItems]?.Code === 'ConditionalCheckFailed';
}

function knownId(part: Pick<TermsPartItem, 'tenantId' | 'contractId' | 'ref'>): string {
  return `${part.tenantId}\u0000${part.contractId}\u0000${part.ref}`;
}

const partFields: Record<PartKind, string> = { scope: 'scope', pricing: 'pricing', rulebook: 'rulebook' };

/**
 * Every item of a write fits DynamoDB's 400 KB (`maxContractItemBytes`), or the write is a 422
 * naming what does not fit. The schemas bound every part below it; this is the last guard, so
 * a record that grew past the item (hundreds of versions and status changes) is refused with
 * a reason instead of failing in DynamoDB as a 500.
 */
function checkSizes(stored: StoredContract, parts: readonly TermsPartItem[]): void {
  const contractBytes = jsonBytes(stored);
  if (contractBytes > maxContractItemBytes) {
    throw new RuleViolationError(
      `contract '${stored.contractId}' is too large to store`,
      [
        `the contract record with ${stored.versions.length} terms versions and ${stored.statusHistory.length} status changes takes ${contractBytes} bytes; at most ${maxContractItemBytes} fit: a contract with this much history should be renewed as a new contract`,
      ],
      {
        fields: ['versions'],
        zh: `合同 '${stored.contractId}' 过大,无法保存`,
        reasonsZh: [`合同记录(${stored.versions.length} 个条款版本、${stored.statusHistory.length} 次状态变更)占 ${contractBytes} 字节,最多 ${maxContractItemBytes} 字节:变更过多的合同请重新签订`],
      },
    );
  }
  for (const part of parts) {
    const bytes = jsonBytes(part);
    if (bytes > maxContractItemBytes) {
      throw new RuleViolationError(
        `a terms part of contract '${stored.contractId}' is too large to store`,
        [`the ${part.kind} takes ${bytes} bytes; at most ${maxContractItemBytes} fit one stored item`],
        { fields: [partFields[part.kind]], zh: `合同 '${stored.contractId}' 的条款过大,无法保存`, reasonsZh: [`条款的 ${part.kind} 部分占 ${bytes} 字节,最多 ${maxContractItemBytes} 字节`] },
      );
    }
  }
}
