import { beforeEach, describe, expect, it } from 'vitest';
import { contractIdFrom } from '../../../../domain/contracts/contract';
import type { ContractDeps } from '../../../../domain/contracts/use-cases';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../../domain/errors';
import { awardedContractUlid } from '../../../../domain/tenders/identity';
import type { AwardStore, AwardWrite } from '../../../../domain/tenders/ports';
import type { AwardLotInput } from '../../../../domain/tenders/schema';
import { awardLot, evaluateTenderLot, getLotEvaluation, type AwardDeps } from '../../../../domain/tenders/use-cases';
import { FixedClock, inspectorUser, procurementOfficer, SequentialIds, tenantId } from '../../../helpers/fakes';
import { MemoryContractStore } from '../contracts/fixtures';
import { contractorFixture, InMemoryContractorStore } from '../contractors/fakes';
import { bidFixture, InMemoryTenderStore, lotFixture, tenderFixture } from './fakes';

const tenderId = 'tdr_01jpz8x4k90000000000000001';
const [nanjing, century] = lotFixture().segmentIds as [string, string];

/** An AwardStore over the in-memory stores: tender and contract together, or (when told to fail) neither. */
class InMemoryAwardStore implements AwardStore {
  readonly writes: AwardWrite[] = [];
  failures = 0;

  constructor(
    private readonly tenders: InMemoryTenderStore,
    private readonly contracts: MemoryContractStore,
  ) {}

  async saveAward(write: AwardWrite): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('connection reset before the transaction committed');
    }
    await this.tenders.save(write.tender);
    await this.contracts.save({ contract: write.contract, expectedVersion: undefined });
    this.writes.push(write);
  }
}

let tenders: InMemoryTenderStore;
let contracts: MemoryContractStore;
let awards: InMemoryAwardStore;
let retiredSegments: Set<string>;
let deps: AwardDeps;

const awardInput: AwardLotInput = {
  title: '黄浦区道路保洁服务合同(第一标段)',
  startDate: '2025-05-01',
  endDate: '2026-04-30',
  performanceBondFen: 5_000_000,
  rulebookTemplateId: 'cleaning-standard',
};

beforeEach(() => {
  tenders = new InMemoryTenderStore();
  tenders.seed(
    tenderFixture({ tenderId }),
    bidFixture({ bidId: 'bid_a', contractorId: 'ctr_alpha', price: { kind: 'lump_sum', monthlyFen: 80_000_000 } }),
    bidFixture({ bidId: 'bid_b', contractorId: 'ctr_beta', price: { kind: 'lump_sum', monthlyFen: 86_000_000 } }),
  );
  const contractors = new InMemoryContractorStore();
  contractors.seed(contractorFixture({ contractorId: 'ctr_alpha' }), contractorFixture({ contractorId: 'ctr_beta' }));
  contracts = new MemoryContractStore();
  awards = new InMemoryAwardStore(tenders, contracts);
  retiredSegments = new Set();
  const clock = new FixedClock('2025-04-15T02:00:00.000Z');
  const contracting: ContractDeps = {
    contracts,
    clock,
    ids: new SequentialIds(),
    segmentsExist: async (_tenant, ids) => ids.filter((id) => retiredSegments.has(id)),
    contractorExists: async (_tenant, id) => (await contractors.get(tenantId, id)) !== undefined,
  };
  deps = { tenders, contractors, segments: { getMany: async () => new Map() }, clock, ids: new SequentialIds(), awards, contracting };
});

async function evaluatedVersion(): Promise<number> {
  const { tender } = await evaluateTenderLot(deps, procurementOfficer, tenderId, 'lot_1', 2);
  return tender.version;
}

/** Error `promise` rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('awardLot', () => {
  it('awards the first-ranked bid and creates its draft contract with the lot\'s scope and the winning price', async () => {
    // Prepare
    const version = await evaluatedVersion();

    // Act
    const { tender, winner, contract } = await awardLot(deps, procurementOfficer, tenderId, 'lot_1', version, awardInput);

    // Assess
    expect(winner.bidId).toBe('bid_a');
    expect(tender.lots[0]).toMatchObject({ status: 'awarded', awardedBidId: 'bid_a', awardedContractorId: 'ctr_alpha' });
    expect(contract).toMatchObject({
      contractId: contractIdFrom(awardedContractUlid(tenderId, 'lot_1')),
      tenantId,
      status: 'draft',
      contractorId: 'ctr_alpha',
      serviceType: 'cleaning',
      title: awardInput.title,
      origin: { kind: 'tender', tenderId, lotId: 'lot_1', bidId: 'bid_a' },
      startDate: '2025-05-01',
      endDate: '2026-04-30',
      performanceBondFen: 5_000_000,
    });
    expect(contract.versions[0]).toMatchObject({ scope: [nanjing, century].sort(), pricing: { kind: 'lump_sum', monthlyFen: 80_000_000 } });
    expect(contract.versions[0]?.rulebook.basedOn).toMatchObject({ templateId: 'cleaning-standard' });
  });

  it('writes the awarded tender and the contract in one award write, and nothing through the contract store alone', async () => {
    // Prepare
    const version = await evaluatedVersion();

    // Act
    const { tender, contract } = await awardLot(deps, procurementOfficer, tenderId, 'lot_1', version, awardInput);

    // Assess
    expect(awards.writes).toEqual([{ tender: { tender, expectedVersion: version }, lotId: 'lot_1', contract }]);
    expect([...contracts.records.keys()]).toEqual([contract.contractId]);
  });

  it('refuses a second award with 409 naming the contract, whatever version it names', async () => {
    // Prepare
    const version = await evaluatedVersion();
    const first = await awardLot(deps, procurementOfficer, tenderId, 'lot_1', version, awardInput);

    // Act
    const withNewVersion = await rejectionOf(awardLot(deps, procurementOfficer, tenderId, 'lot_1', first.tender.version, awardInput));
    const withOldVersion = await rejectionOf(awardLot(deps, procurementOfficer, tenderId, 'lot_1', version, awardInput));

    // Assess
    expect(withNewVersion).toBeInstanceOf(ConflictError);
    expect((withNewVersion as Error).message).toContain(first.contract.contractId);
    expect(withOldVersion).toBeInstanceOf(ConflictError);
    expect(awards.writes).toHaveLength(1);
  });

  it('converges on retry: an award whose write failed creates the same contract when tried again', async () => {
    // Prepare
    const version = await evaluatedVersion();
    awards.failures = 1;
    const failed = await rejectionOf(awardLot(deps, procurementOfficer, tenderId, 'lot_1', version, awardInput));

    // Act
    const retried = await awardLot(deps, procurementOfficer, tenderId, 'lot_1', version, awardInput);

    // Assess
    expect((failed as Error).message).toContain('connection reset');
    expect(retried.contract.contractId).toBe(contractIdFrom(awardedContractUlid(tenderId, 'lot_1')));
    expect(contracts.records.size).toBe(1);
  });

  it('refuses the contract\'s own invalid terms with 400 naming the field, and writes nothing', async () => {
    // Prepare
    const version = await evaluatedVersion();

    // Act
    const thrown = await rejectionOf(awardLot(deps, procurementOfficer, tenderId, 'lot_1', version, { ...awardInput, endDate: '2025-04-30' }));

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).issues.map((issue) => issue.path)).toEqual(['endDate']);
    expect(awards.writes).toHaveLength(0);
  });

  it('refuses with 422 when a lot segment was retired after the tender, saying which', async () => {
    // Prepare
    const version = await evaluatedVersion();
    retiredSegments.add(century);

    // Act
    const thrown = await rejectionOf(awardLot(deps, procurementOfficer, tenderId, 'lot_1', version, awardInput));

    // Assess
    expect(thrown).toBeInstanceOf(RuleViolationError);
    expect((thrown as RuleViolationError).reasons.join(' ')).toContain(century);
    expect(awards.writes).toHaveLength(0);
  });

  it('refuses an inspector (no tender:write) before reading anything', async () => {
    // Prepare
    const version = await evaluatedVersion();

    // Act
    const thrown = await rejectionOf(awardLot(deps, inspectorUser, tenderId, 'lot_1', version, awardInput));

    // Assess
    expect(thrown).toBeInstanceOf(ForbiddenError);
  });
});

describe('getLotEvaluation', () => {
  it('returns the stored table with its tender, and 404 before the evaluation', async () => {
    // Prepare
    const before = await rejectionOf(getLotEvaluation(deps, inspectorUser, tenderId, 'lot_1'));
    await evaluatedVersion();

    // Act
    const { tender, table } = await getLotEvaluation(deps, inspectorUser, tenderId, 'lot_1');

    // Assess
    expect((before as Error).name).toBe('NotFoundError');
    expect(table.winnerBidId).toBe('bid_a');
    expect(tender.version).toBe(3);
  });
});

describe('awardedContractUlid', () => {
  it('is a ULID with the tender\'s time part, the same for the same lot and another for another lot', () => {
    // Act
    const lot1 = awardedContractUlid(tenderId, 'lot_1');
    const again = awardedContractUlid(tenderId, 'lot_1');
    const lot2 = awardedContractUlid(tenderId, 'lot_2');

    // Assess
    expect(lot1).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(lot1.slice(0, 10)).toBe('01JPZ8X4K9');
    expect(again).toBe(lot1);
    expect(lot2).not.toBe(lot1);
    expect(contractIdFrom(lot1)).toMatch(/^con_[0-9a-z]{26}$/);
  });

  it('refuses what is not a tender id', () => {
    expect(() => awardedContractUlid('con_01jpz8x4k90000000000000001', 'lot_1')).toThrow(RangeError);
  });
});

