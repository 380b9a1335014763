import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError, ValidationError } from '../../../../domain/errors';
import { ScopeConflictError } from '../../../../domain/contracts/contract';
import {
  activateContract,
  amendContract,
  contractVersions,
  createContract,
  expireEndedContracts,
  getContract,
  listContracts,
  resumeContract,
  suspendContract,
  terminateContract,
} from '../../../../domain/contracts/use-cases';
import { actors, cleaningInput, contractDeps, contractFixture, huanjie, lvyuan, MemoryContractStore, seg } from './fixtures';

async function caught(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** 环杰's contract created and activated on 5 March 2025. */
async function activeCleaningContract(deps = contractDeps()): Promise<{ deps: ReturnType<typeof contractDeps>; contractId: string; version: number }> {
  const draft = await createContract(deps, actors.procurement, cleaningInput());
  const active = await activateContract(deps, actors.procurement, draft.contractId, draft.version);
  return { deps, contractId: active.contractId, version: active.version };
}

describe('createContract', () => {
  it('creates a draft with its own copy of the named template', async () => {
    // Prepare
    const deps = contractDeps();
    // Act
    const contract = await createContract(deps, actors.procurement, cleaningInput());
    // Assess
    expect([contract.status, contract.versions[0]?.rulebook.basedOn, contract.versions[0]?.effectiveFrom]).toEqual([
      'draft',
      { templateId: 'cleaning-standard', templateVersion: 2 },
      '2025-03-01',
    ]);
  });

  it('gives the contract a con_ id from the injected id generator', async () => {
    const contract = await createContract(contractDeps(), actors.procurement, cleaningInput());

    expect(contract.contractId).toBe('con_01jnq000000000000000000001');
  });

  it('records a contract awarded from a tender with its origin', async () => {
    const origin = { kind: 'tender' as const, tenderId: 'tdr_2025_003', lotId: 'lot_01', bidId: 'bid_07' };

    const contract = await createContract(contractDeps(), actors.procurement, cleaningInput({ origin }));

    expect(contract.origin).toEqual(origin);
  });

  it('refuses finance, which may only read contracts', async () => {
    const error = await caught(() => createContract(contractDeps(), actors.finance, cleaningInput()));

    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('refuses an unknown template, naming the field', async () => {
    const error = await caught(() => createContract(contractDeps(), actors.procurement, cleaningInput({ rulebookTemplateId: 'cleaning-hangzhou' })));

    expect((error as ValidationError).issues).toEqual([{ path: 'rulebookTemplateId', message: "no rulebook template 'cleaning-hangzhou'" }]);
  });

  it("refuses a template of another service type", async () => {
    const error = await caught(() => createContract(contractDeps(), actors.procurement, cleaningInput({ rulebookTemplateId: 'greening-class1' })));

    expect((error as ValidationError).issues[0]?.path).toBe('rulebookTemplateId');
  });

  it('refuses segments that do not exist, listing them', async () => {
    const error = await caught(() => createContract(contractDeps(), actors.procurement, cleaningInput({ scope: [seg.nanjingWest, 'seg_zz9zz9zz9zz9zz9z'] })));

    expect((error as ValidationError).issues).toEqual([{ path: 'scope', message: '1 segment(s) do not exist or are retired: seg_zz9zz9zz9zz9zz9z' }]);
  });

  it('refuses an unknown contractor', async () => {
    const error = await caught(() => createContract(contractDeps(), actors.procurement, cleaningInput({ contractorId: 'ctr_0000000000000000' })));

    expect((error as ValidationError).issues[0]?.path).toBe('contractorId');
  });
});

describe('status changes', () => {
  it('activates a draft', async () => {
    const deps = contractDeps();
    const draft = await createContract(deps, actors.procurement, cleaningInput());

    const active = await activateContract(deps, actors.procurement, draft.contractId, draft.version);

    expect(active.status).toBe('active');
  });

  it('refuses activation when a segment is held by another active contract, naming segment, contract and dates', async () => {
    // Prepare: 绿源 already holds 石门一路 for the whole of 2025.
    const holder = contractFixture({ contractId: 'con_01jnq000000000000000000a01', status: 'active', contractorId: lvyuan, startDate: '2025-01-01', endDate: '2025-12-31', scope: [seg.shimenOne] });
    const deps = contractDeps(new MemoryContractStore([holder]));
    const draft = await createContract(deps, actors.procurement, cleaningInput());
    // Act
    const error = await caught(() => activateContract(deps, actors.procurement, draft.contractId, draft.version));
    // Assess
    expect([error instanceof ConflictError, (error as ScopeConflictError).conflicts]).toEqual([
      true,
      [{ segmentId: seg.shimenOne, otherContractId: 'con_01jnq000000000000000000a01', overlapFrom: '2025-03-01', overlapTo: '2025-12-31' }],
    ]);
  });

  it('refuses a change against a stale version', async () => {
    const { deps, contractId, version } = await activeCleaningContract();

    const error = await caught(() => suspendContract(deps, actors.procurement, contractId, version - 1, { reason: '道路施工' }));

    expect(error).toBeInstanceOf(StaleVersionError);
  });

  it('suspends and resumes', async () => {
    const { deps, contractId, version } = await activeCleaningContract();

    const suspended = await suspendContract(deps, actors.procurement, contractId, version, { reason: '南京西路地铁施工围挡' });
    const resumed = await resumeContract(deps, actors.procurement, contractId, suspended.version);

    expect([suspended.status, resumed.status]).toEqual(['suspended', 'active']);
  });

  it('terminates with a reason, ending the contract today', async () => {
    const { deps, contractId, version } = await activeCleaningContract();

    const terminated = await terminateContract(deps, actors.procurement, contractId, version, { reason: '连续五个季度考核低于75分' });

    expect([terminated.status, terminated.endedOn]).toEqual(['terminated', '2025-03-05']);
  });

  it('answers 404 for a contract of another tenant', async () => {
    const { deps, contractId, version } = await activeCleaningContract();
    const stranger = { ...actors.procurement, tenantId: 'xuhui' };

    const error = await caught(() => suspendContract(deps, stranger, contractId, version, { reason: '测试' }));

    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe('amendments and as-of reads', () => {
  const fromThe16th = {
    effectiveFrom: '2025-03-16',
    reason: '石门一路移交市政养护,新增威海路',
    approvedBy: '静安区绿化和市容管理局 王建国',
    approvedAt: '2025-03-04',
    scope: [seg.nanjingWest, seg.weihai],
  };

  it('reads the old scope as of the 10th after amending the scope from the 16th', async () => {
    // Prepare
    const { deps, contractId, version } = await activeCleaningContract();
    await amendContract(deps, actors.procurement, contractId, version, fromThe16th);
    // Act
    const read = await getContract(deps, actors.inspector, contractId, '2025-03-10');
    // Assess
    expect(read.terms?.scope).toEqual([seg.nanjingWest, seg.shimenOne].sort());
  });

  it('reads the new scope as of the 20th after amending the scope from the 16th', async () => {
    const { deps, contractId, version } = await activeCleaningContract();
    await amendContract(deps, actors.procurement, contractId, version, fromThe16th);

    const read = await getContract(deps, actors.inspector, contractId, '2025-03-20');

    expect(read.terms?.scope).toEqual([seg.nanjingWest, seg.weihai].sort());
  });

  it('reads as of today when no date is given', async () => {
    const { deps, contractId } = await activeCleaningContract();

    const read = await getContract(deps, actors.finance, contractId);

    expect([read.asOf, read.terms?.termsVersion]).toEqual(['2025-03-05', 1]);
  });

  it('refuses an asOf that is not a date, naming it', async () => {
    const { deps, contractId } = await activeCleaningContract();

    const error = await caught(() => getContract(deps, actors.finance, contractId, '2025-3-10'));

    expect((error as ValidationError).issues).toEqual([{ path: 'asOf', message: 'a date is YYYY-MM-DD and must be a real calendar day', zh: '日期格式为 YYYY-MM-DD，且须为真实存在的日期' }]);
    expect((error as ValidationError).zh).toBe('1 个字段未通过校验');
  });

  it('refuses an amendment adding a segment another active contract holds', async () => {
    // Prepare: 绿源 holds 威海路.
    const holder = contractFixture({ contractId: 'con_01jnq000000000000000000a02', status: 'active', contractorId: lvyuan, startDate: '2025-01-01', endDate: '2025-06-30', scope: [seg.weihai] });
    const { deps, contractId, version } = await activeCleaningContract(contractDeps(new MemoryContractStore([holder])));
    // Act
    const error = await caught(() => amendContract(deps, actors.procurement, contractId, version, fromThe16th));
    // Assess
    expect(error.message).toContain(`segment ${seg.weihai} is already in scope of contract con_01jnq000000000000000000a02 from 2025-03-16 to 2025-06-30`);
  });

  it('refuses an amendment adding a segment that does not exist', async () => {
    const { deps, contractId, version } = await activeCleaningContract();

    const error = await caught(() => amendContract(deps, actors.procurement, contractId, version, { ...fromThe16th, scope: [seg.nanjingWest, 'seg_zz9zz9zz9zz9zz9z'] }));

    expect((error as ValidationError).issues[0]?.path).toBe('scope');
  });

  it('lists versions with the dates each governs and what changed', async () => {
    const { deps, contractId, version } = await activeCleaningContract();
    await amendContract(deps, actors.procurement, contractId, version, fromThe16th);

    const versions = await contractVersions(deps, actors.procurement, contractId);

    expect(versions.map((entry) => [entry.termsVersion, entry.inForce, entry.changes, entry.diff?.scope])).toEqual([
      [1, { from: '2025-03-01', to: '2025-03-15' }, [], undefined],
      [2, { from: '2025-03-16', to: '2025-12-31' }, ['scope'], { added: [seg.weihai], removed: [seg.shimenOne] }],
    ]);
  });
});

describe('contractor users', () => {
  it('lets a contractor user read its own contract', async () => {
    const { deps, contractId } = await activeCleaningContract();

    const read = await getContract(deps, actors.huanjieUser, contractId);

    expect(read.contract.contractorId).toBe(huanjie);
  });

  it("refuses a contractor user another contractor's contract", async () => {
    const { deps, contractId } = await activeCleaningContract();

    const error = await caught(() => getContract(deps, actors.lvyuanUser, contractId));

    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('narrows a contractor user’s listing to its own contracts', async () => {
    const theirs = contractFixture({ status: 'active', contractorId: lvyuan, scope: [seg.wujiang] });
    const { deps } = await activeCleaningContract(contractDeps(new MemoryContractStore([theirs])));

    const page = await listContracts(deps, actors.huanjieUser, {}, { limit: 50 });

    expect(page.items.map((contract) => contract.contractorId)).toEqual([huanjie]);
  });

  it('refuses a contractor user listing another contractor', async () => {
    const error = await caught(() => listContracts(contractDeps(), actors.huanjieUser, { contractorId: lvyuan }, { limit: 50 }));

    expect(error).toBeInstanceOf(ForbiddenError);
  });
});

describe('expireEndedContracts', () => {
  it('expires the contracts whose end date has passed and leaves the others', async () => {
    // Prepare
    const ended = contractFixture({ contractId: 'con_01jnq000000000000000000c01', status: 'active', startDate: '2024-03-01', endDate: '2025-03-04', scope: [seg.wujiang] });
    const running = contractFixture({ contractId: 'con_01jnq000000000000000000c02', status: 'active', startDate: '2025-01-01', endDate: '2025-12-31', scope: [seg.maomingNorth] });
    const store = new MemoryContractStore([ended, running]);
    // Act
    const expired = await expireEndedContracts(contractDeps(store), 'jingan');
    // Assess
    expect([expired, store.records.get('con_01jnq000000000000000000c02')?.status]).toEqual([['con_01jnq000000000000000000c01'], 'active']);
  });
});
