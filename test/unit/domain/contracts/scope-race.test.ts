import { describe, expect, it } from 'vitest';
import { ScopeChangedError, ScopeConflictError } from '../../../../domain/contracts/contract';
import type { ContractWrite, HoldingContracts } from '../../../../domain/contracts/ports';
import type { Contract } from '../../../../domain/contracts/schema';
import { activateContract, amendContract, createContract, suspendContract } from '../../../../domain/contracts/use-cases';
import { StaleVersionError } from '../../../../domain/errors';
import type { ServiceType } from '../../../../domain/service-types';
import { actors, cleaningInput, contractDeps, contractFixture, lvyuan, MemoryContractStore, seg } from './fixtures';

/**
 * The overlap check and the save are one atomic step (ports.ts `checkedScopeVersion`). These
 * tests put "another request" between a use case's check and its save, as two Lambdas
 * racing would, and show what the use case makes of it.
 */

/** A store that runs `interleave` once, after the first holdings read, before anything else. */
class RacingStore extends MemoryContractStore {
  reads = 0;
  saves: ContractWrite[] = [];

  constructor(
    initial: readonly Contract[],
    private readonly interleave: (store: MemoryContractStore, read: number) => void,
  ) {
    super(initial);
  }

  override async listActiveByServiceType(tenant: string, serviceType: ServiceType): Promise<HoldingContracts> {
    const holding = await super.listActiveByServiceType(tenant, serviceType);
    this.reads += 1;
    this.interleave(this, this.reads);
    return holding;
  }

  override async save(write: ContractWrite): Promise<void> {
    this.saves.push(write);
    await super.save(write);
  }
}

/** Another request committing an activation of `contract`: it holds its segments from now on. */
function commitElsewhere(store: MemoryContractStore, contract: Contract): void {
  store.records.set(contract.contractId, { ...contract, status: 'active' });
  const lock = `${contract.tenantId}/${contract.serviceType}`;
  store.scopeVersions.set(lock, (store.scopeVersions.get(lock) ?? 0) + 1);
}

async function caught(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

const rival = contractFixture({ contractId: 'con_01jnq000000000000000000r01', contractorId: lvyuan, scope: [seg.shimenOne] });
const elsewhere = contractFixture({ contractId: 'con_01jnq000000000000000000e01', contractorId: lvyuan, scope: [seg.wujiang] });

describe('activation racing another scope change', () => {
  it('refuses with 409 naming the rival when an overlapping activation commits between check and save', async () => {
    // Prepare
    const store = new RacingStore([], (racing, read) => {
      if (read === 1) commitElsewhere(racing, rival);
    });
    const deps = contractDeps(store);
    const draft = await createContract(deps, actors.procurement, cleaningInput());

    // Act
    const error = await caught(() => activateContract(deps, actors.procurement, draft.contractId, draft.version));

    // Assess
    expect(error).toBeInstanceOf(ScopeConflictError);
    expect((error as ScopeConflictError).conflicts).toEqual([
      { segmentId: seg.shimenOne, otherContractId: rival.contractId, overlapFrom: '2025-03-01', overlapTo: '2025-12-31' },
    ]);
    expect(store.records.get(draft.contractId)?.status).toBe('draft');
  });

  it('checks again and saves when the change that slipped in does not overlap', async () => {
    // Prepare
    const store = new RacingStore([], (racing, read) => {
      if (read === 1) commitElsewhere(racing, elsewhere);
    });
    const deps = contractDeps(store);
    const draft = await createContract(deps, actors.procurement, cleaningInput());

    // Act
    const active = await activateContract(deps, actors.procurement, draft.contractId, draft.version);

    // Assess
    expect(active.status).toBe('active');
    expect(store.reads).toBe(2);
    expect(store.saves.slice(1).map((write) => write.checkedScopeVersion)).toEqual([0, 1]);
    expect(store.scopeVersions.get('jingan/cleaning')).toBe(2);
  });

  it('gives up with ScopeChangedError (409) after five attempts of constant churn', async () => {
    // Prepare
    const store = new RacingStore([], (racing) => {
      const lock = 'jingan/cleaning';
      racing.scopeVersions.set(lock, (racing.scopeVersions.get(lock) ?? 0) + 1);
    });
    const deps = contractDeps(store);
    const draft = await createContract(deps, actors.procurement, cleaningInput());

    // Act
    const error = await caught(() => activateContract(deps, actors.procurement, draft.contractId, draft.version));

    // Assess
    expect(error).toBeInstanceOf(ScopeChangedError);
    expect(store.reads).toBe(5);
  });

  it('does not retry a stale contract version: another change of the contract itself is a 412', async () => {
    // Prepare
    const store = new RacingStore([], (racing, read) => {
      if (read !== 1) return;
      const [draft] = [...racing.records.values()];
      racing.records.set(draft!.contractId, { ...draft!, version: draft!.version + 1 });
    });
    const deps = contractDeps(store);
    const draft = await createContract(deps, actors.procurement, cleaningInput());

    // Act
    const error = await caught(() => activateContract(deps, actors.procurement, draft.contractId, draft.version));

    // Assess
    expect(error).toBeInstanceOf(StaleVersionError);
    expect(store.reads).toBe(1);
  });
});

describe('which writes take the scope lock', () => {
  it('an amendment of an active contract does; a suspension does not (it adds no segment-days)', async () => {
    // Prepare
    const store = new RacingStore([], () => undefined);
    const deps = contractDeps(store);
    const draft = await createContract(deps, actors.procurement, cleaningInput());
    const active = await activateContract(deps, actors.procurement, draft.contractId, draft.version);

    // Act
    const amended = await amendContract(deps, actors.procurement, active.contractId, active.version, {
      effectiveFrom: '2025-03-16',
      reason: '道路改造',
      approvedBy: '王某',
      approvedAt: '2025-03-05',
      scope: [seg.nanjingWest],
    });
    await suspendContract(deps, actors.procurement, amended.contractId, amended.version, { reason: '封路施工' });

    // Assess
    expect(store.saves.map((write) => [write.contract.status, write.checkedScopeVersion])).toEqual([
      ['draft', undefined],
      ['active', 0],
      ['active', 1],
      ['suspended', undefined],
    ]);
  });

  it('an amendment of a draft does not: drafts hold no segments', async () => {
    // Prepare
    const store = new RacingStore([], () => undefined);
    const deps = contractDeps(store);
    const draft = await createContract(deps, actors.procurement, cleaningInput());

    // Act
    await amendContract(deps, actors.procurement, draft.contractId, draft.version, {
      effectiveFrom: '2025-03-16',
      reason: '签约前调整',
      approvedBy: '王某',
      approvedAt: '2025-03-05',
      scope: [seg.nanjingWest],
    });

    // Assess
    expect(store.saves.map((write) => write.checkedScopeVersion)).toEqual([undefined, undefined]);
    expect(store.reads).toBe(0);
  });
});
