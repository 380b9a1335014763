import { ConflictError, StaleVersionError } from '../../../../domain/errors';
import type { Actor } from '../../../../domain/policy';
import type { Clock, IdGenerator, Page, PageRequest } from '../../../../domain/ports';
import { newContract, ScopeChangedError } from '../../../../domain/contracts/contract';
import type { ContractDeps } from '../../../../domain/contracts/use-cases';
import type { ContractStore, ContractWrite, HoldingContracts } from '../../../../domain/contracts/ports';
import { CreateContractInput, type Contract, type ContractFilter, type CreateContractInput as CreateInput } from '../../../../domain/contracts/schema';
import { rulebookFromTemplate, templateById } from '../../../../domain/rulebooks/templates';
import type { ServiceType } from '../../../../domain/service-types';

/** Shared test data: 静安区 (tenant `jingan`), March–December 2025, Shanghai time. */

export const tenantId = 'jingan';

/** Contractor ids as domain/contractors derives them: `ctr_` + 16 base32 characters. */
export const huanjie = 'ctr_k2m7q4x9b3n8p5rt'; // 上海环杰环境服务有限公司
export const lvyuan = 'ctr_w6d3h8j2c5f9g4ls'; // 上海绿源市政工程有限公司

/** Segments of 南京西路街道, ids as domain/segments derives them. */
export const seg = {
  nanjingWest: 'seg_n4j7w2q8e5r3t6yu', // 南京西路(陕西北路—石门一路)
  shimenOne: 'seg_s9m2e5n8o1r4d7ab', // 石门一路(南京西路—威海路)
  weihai: 'seg_w3e6i9h2a5i8c1de', // 威海路(石门一路—茂名北路)
  maomingNorth: 'seg_m5a8o1m4i7n2g3fg', // 茂名北路(南京西路—威海路)
  wujiang: 'seg_w7u2j5i8a3n6g9hj', // 吴江路(步行街)
} as const;

export const actors = {
  procurement: { userId: 'usr_procure_wang', tenantId, roles: ['procurement'] },
  finance: { userId: 'usr_finance_li', tenantId, roles: ['finance'] },
  inspector: { userId: 'usr_inspect_zhao', tenantId, roles: ['inspector'] },
  huanjieUser: { userId: 'usr_huanjie_chen', tenantId, roles: ['contractor'], contractorId: huanjie },
  lvyuanUser: { userId: 'usr_lvyuan_sun', tenantId, roles: ['contractor'], contractorId: lvyuan },
} satisfies Record<string, Actor>;

/** 2025-03-05 10:00 in Shanghai. */
export const marchFifth = new Date('2025-03-05T02:00:00Z');

export function fixedClock(instant: Date = marchFifth): Clock & { set(next: Date): void } {
  let now = instant;
  return {
    now: () => now,
    set: (next: Date) => {
      now = next;
    },
  };
}

/** Valid, increasing ULIDs (digits are Crockford base32 characters). */
export function sequentialIds(): IdGenerator {
  let n = 0;
  return { next: () => `01JNQ${String((n += 1)).padStart(21, '0')}` };
}

export function cleaningRulebook(): Contract['versions'][number]['rulebook'] {
  const template = templateById('cleaning-standard');
  if (template === undefined) throw new Error('cleaning-standard template missing');
  return rulebookFromTemplate(template);
}

/** A lump-sum cleaning contract's input: 南京西路 and 石门一路, March–December 2025. */
export function cleaningInput(overrides: Partial<CreateInput> = {}): CreateInput {
  return {
    contractorId: huanjie,
    serviceType: 'cleaning',
    title: '南京西路街道道路保洁服务合同(2025)',
    startDate: '2025-03-01',
    endDate: '2025-12-31',
    performanceBondFen: 5_000_000,
    scope: [seg.nanjingWest, seg.shimenOne],
    pricing: { kind: 'lump_sum', monthlyFen: 38_500_000 },
    rulebookTemplateId: 'cleaning-standard',
    ...overrides,
  };
}

let counter = 0;

/**
 * A contract record built through the domain's own constructor, in `status`, for the pure
 * tests. Statuses other than draft are set directly: the lifecycle tests cover how they arise.
 */
export function contractFixture(
  options: {
    contractId?: string;
    status?: Contract['status'];
    serviceType?: ServiceType;
    contractorId?: string;
    startDate?: string;
    endDate?: string;
    scope?: string[];
  } = {},
): Contract {
  counter += 1;
  const serviceType = options.serviceType ?? 'cleaning';
  const templateId = serviceType === 'cleaning' ? 'cleaning-standard' : serviceType === 'greening' ? 'greening-class1' : 'municipal-roads';
  const template = templateById(templateId);
  if (template === undefined) throw new Error(`${templateId} template missing`);
  const fields = CreateContractInput.parse(
    cleaningInput({
      serviceType,
      ...(options.contractorId === undefined ? {} : { contractorId: options.contractorId }),
      ...(options.startDate === undefined ? {} : { startDate: options.startDate }),
      ...(options.endDate === undefined ? {} : { endDate: options.endDate }),
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      rulebookTemplateId: templateId,
    }),
  );
  const contract = newContract(fields, {
    tenantId,
    contractId: options.contractId ?? `con_01jnq${String(counter).padStart(21, '0')}`,
    rulebook: rulebookFromTemplate(template),
    at: new Date('2025-02-20T01:00:00Z'),
    by: actors.procurement.userId,
  });
  return { ...contract, status: options.status ?? 'draft' };
}

/** An in-memory ContractStore with the conditional-write behaviour of the real one. */
export class MemoryContractStore implements ContractStore {
  readonly records = new Map<string, Contract>();

  constructor(initial: readonly Contract[] = []) {
    for (const contract of initial) this.records.set(contract.contractId, contract);
  }

  async get(tenant: string, contractId: string): Promise<Contract | undefined> {
    const contract = this.records.get(contractId);
    return contract?.tenantId === tenant ? contract : undefined;
  }

  async list(tenant: string, filter: ContractFilter, page: PageRequest): Promise<Page<Contract>> {
    const items = [...this.records.values()]
      .filter((c) => c.tenantId === tenant)
      .filter((c) => filter.status === undefined || c.status === filter.status)
      .filter((c) => filter.contractorId === undefined || c.contractorId === filter.contractorId)
      .filter((c) => filter.serviceType === undefined || c.serviceType === filter.serviceType)
      .sort((a, b) => (a.contractId < b.contractId ? 1 : -1));
    return { items: items.slice(0, page.limit) };
  }

  /** Scope version per `${tenant}/${serviceType}`, as the real store's scope lock item. */
  readonly scopeVersions = new Map<string, number>();

  async listActiveByServiceType(tenant: string, serviceType: ServiceType): Promise<HoldingContracts> {
    const contracts = [...this.records.values()].filter(
      (c) => c.tenantId === tenant && c.serviceType === serviceType && (c.status === 'active' || c.status === 'suspended'),
    );
    return { contracts, scopeVersion: this.scopeVersions.get(`${tenant}/${serviceType}`) ?? 0 };
  }

  async save(write: ContractWrite): Promise<void> {
    const existing = this.records.get(write.contract.contractId);
    if (write.expectedVersion === undefined && existing !== undefined) throw new ConflictError(`contract '${write.contract.contractId}' exists`);
    if (write.expectedVersion !== undefined && existing?.version !== write.expectedVersion) {
      throw new StaleVersionError('contract', write.contract.contractId, write.expectedVersion, existing?.version);
    }
    if (write.checkedScopeVersion !== undefined) {
      const lock = `${write.contract.tenantId}/${write.contract.serviceType}`;
      if ((this.scopeVersions.get(lock) ?? 0) !== write.checkedScopeVersion) {
        throw new ScopeChangedError(write.contract.tenantId, write.contract.serviceType);
      }
      this.scopeVersions.set(lock, write.checkedScopeVersion + 1);
    }
    this.records.set(write.contract.contractId, write.contract);
  }
}

/** Deps whose segment and contractor registries know the fixtures above. */
export function contractDeps(store: MemoryContractStore = new MemoryContractStore(), clock = fixedClock()): ContractDeps & { clock: ReturnType<typeof fixedClock> } {
  const knownSegments = new Set<string>(Object.values(seg));
  const knownContractors = new Set([huanjie, lvyuan]);
  return {
    contracts: store,
    clock,
    ids: sequentialIds(),
    segmentsExist: async (_tenant, ids) => ids.filter((id) => !knownSegments.has(id)),
    contractorExists: async (_tenant, id) => knownContractors.has(id),
  };
}
