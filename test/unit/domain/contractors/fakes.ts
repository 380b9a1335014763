import { matchesContractorFilter } from '../../../../domain/contractors/contractor';
import type { ContractorStore, ContractorWrite } from '../../../../domain/contractors/ports';
import type { Contractor, ContractorFilter } from '../../../../domain/contractors/schema';
import { ConflictError, StaleVersionError } from '../../../../domain/errors';
import type { Page, PageRequest } from '../../../../domain/ports';
import { tenantId } from '../../../helpers/fakes';

/**
 * An in-memory ContractorStore with the port's semantics: conditional writes (ConflictError
 * for an existing new record, StaleVersionError for a moved version), the shared filter
 * meaning, pages by name with a plain offset cursor. Records are copied in and out.
 */
export class InMemoryContractorStore implements ContractorStore {
  private readonly records = new Map<string, Contractor>();
  readonly writes: ContractorWrite[] = [];

  seed(...contractors: Contractor[]): void {
    for (const contractor of contractors) this.records.set(key(contractor.tenantId, contractor.contractorId), structuredClone(contractor));
  }

  async get(tenant: string, contractorId: string): Promise<Contractor | undefined> {
    const found = this.records.get(key(tenant, contractorId));
    return found === undefined ? undefined : structuredClone(found);
  }

  async getMany(tenant: string, contractorIds: readonly string[]): Promise<ReadonlyMap<string, Contractor>> {
    const found = new Map<string, Contractor>();
    for (const id of contractorIds) {
      const contractor = this.records.get(key(tenant, id));
      if (contractor !== undefined) found.set(id, structuredClone(contractor));
    }
    return found;
  }

  async list(tenant: string, filter: ContractorFilter, page: PageRequest): Promise<Page<Contractor>> {
    const all = [...this.records.values()]
      .filter((contractor) => contractor.tenantId === tenant && matchesContractorFilter(contractor, filter))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh'));
    const start = page.cursor === undefined ? 0 : Number(page.cursor);
    const items = all.slice(start, start + page.limit).map((contractor) => structuredClone(contractor));
    return start + page.limit < all.length ? { items, nextCursor: String(start + page.limit) } : { items };
  }

  async history(tenant: string, contractorId: string, page: PageRequest): Promise<Page<Contractor>> {
    const versions = this.writes
      .map((write) => write.contractor)
      .filter((contractor) => contractor.tenantId === tenant && contractor.contractorId === contractorId)
      .sort((a, b) => b.version - a.version);
    const start = page.cursor === undefined ? 0 : Number(page.cursor);
    const items = versions.slice(start, start + page.limit).map((contractor) => structuredClone(contractor));
    return start + page.limit < versions.length ? { items, nextCursor: String(start + page.limit) } : { items };
  }

  async save(write: ContractorWrite): Promise<void> {
    const id = key(write.contractor.tenantId, write.contractor.contractorId);
    const existing = this.records.get(id);
    if (write.expectedVersion === undefined && existing !== undefined) throw new ConflictError(`contractor ${write.contractor.contractorId} exists`);
    if (write.expectedVersion !== undefined && existing?.version !== write.expectedVersion) {
      throw new StaleVersionError('contractor', write.contractor.contractorId, write.expectedVersion, existing?.version);
    }
    this.records.set(id, structuredClone(write.contractor));
    this.writes.push(structuredClone(write));
  }
}

function key(tenant: string, contractorId: string): string {
  return `${tenant}\u0000${contractorId}`;
}

/** A stored active contractor (福州 sanitation company with the standard's example code), version 1. */
export function contractorFixture(overrides: Partial<Contractor> = {}): Contractor {
  return {
    contractorId: 'ctr_huanwei01',
    tenantId,
    code: '91350100M000100Y43',
    name: '福州市绿洁环境服务有限公司',
    contactPhone: '0591-87654321',
    status: 'active',
    listing: { status: 'none' },
    version: 1,
    createdAt: '2025-01-06T02:00:00.000Z',
    createdBy: 'u-procurement-01',
    updatedAt: '2025-01-06T02:00:00.000Z',
    updatedBy: 'u-procurement-01',
    ...overrides,
  };
}
