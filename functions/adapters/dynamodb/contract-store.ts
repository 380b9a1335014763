import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ScopeChangedError } from '../../../domain/contracts/contract';
import { holdingStatuses } from '../../../domain/contracts/overlap';
import type { ContractStore, ContractWrite, HoldingContracts } from '../../../domain/contracts/ports';
import type { Contract, ContractFilter } from '../../../domain/contracts/schema';
import { ConflictError, StaleVersionError } from '../../../domain/errors';
import type { Page, PageRequest } from '../../../domain/ports';
import type { ServiceType } from '../../../domain/service-types';
import { entityTypes, keys } from './keys';
import { VersionedItems, type GuardItem, type RecordCodec } from './versioned-items';

/**
 * No history items: a contract carries its own history (every terms version and every status
 * change), which is what the versions listing and as-of reads need.
 */
const contractCodec: RecordCodec<Contract> = {
  entity: entityTypes.contract,
  label: 'contract',
  key: (contract) => keys.contract(contract.tenantId, contract.contractId),
  id: (contract) => contract.contractId,
  version: (contract) => contract.version,
};

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
  private readonly items: VersionedItems<Contract>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, contractCodec);
  }

  get(tenantId: string, contractId: string): Promise<Contract | undefined> {
    return this.items.get(keys.contract(tenantId, contractId));
  }

  /** Newest first: contract ids are ULIDs, so the sort key orders them by creation. */
  list(tenantId: string, filter: ContractFilter, page: PageRequest): Promise<Page<Contract>> {
    const pk = keys.contractsPartition(tenantId);
    const { values, ...expression } = filterOf(filter);
    return this.items.page(
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
    return { contracts, scopeVersion };
  }

  async save(write: ContractWrite): Promise<void> {
    const record = { record: write.contract, expectedVersion: write.expectedVersion };
    if (write.checkedScopeVersion === undefined) {
      await this.items.save(record);
      return;
    }
    try {
      await this.items.save(record, [this.scopeLockGuard(write.contract, write.checkedScopeVersion)]);
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
  itemsOf(write: ContractWrite): ReturnType<VersionedItems<Contract>['itemsOf']> {
    if (write.checkedScopeVersion !== undefined) throw new RangeError('a write that takes the scope lock must go through save');
    return this.items.itemsOf({ record: write.contract, expectedVersion: write.expectedVersion });
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
