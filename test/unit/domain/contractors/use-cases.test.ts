import { beforeEach, describe, expect, it } from 'vitest';
import { contractorIdFor } from '../../../../domain/contractors/identity';
import {
  getContractor,
  listContractors,
  registerContractor,
  setContractorListing,
  suspendContractor,
  updateContractor,
  type ContractorDeps,
} from '../../../../domain/contractors/use-cases';
import { ConflictError, ForbiddenError, StaleVersionError, ValidationError } from '../../../../domain/errors';
import { actorWith, contractorUser, financeUser, FixedClock, procurementOfficer, SequentialIds, tenantId } from '../../../helpers/fakes';
import { contractorFixture, InMemoryContractorStore } from './fakes';

let store: InMemoryContractorStore;
let deps: ContractorDeps;

beforeEach(() => {
  store = new InMemoryContractorStore();
  deps = { contractors: store, clock: new FixedClock('2025-03-12T08:30:00.000Z'), ids: new SequentialIds() };
});

/** Error `promise` rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('registerContractor', () => {
  it('derives the id from the tenant and the normalised code', async () => {
    // Act
    const contractor = await registerContractor(deps, procurementOfficer, { code: ' 914403001922038216', name: '华为技术有限公司' });

    // Assess
    expect(contractor.contractorId).toBe(contractorIdFor(tenantId, '914403001922038216'));
    expect(await store.get(tenantId, contractor.contractorId)).toEqual(contractor);
  });

  it('refuses a second contractor with the same code with ConflictError naming the first', async () => {
    // Prepare
    const first = await registerContractor(deps, procurementOfficer, { code: '914403001922038216', name: '华为技术有限公司' });

    // Act
    const error = await rejectionOf(registerContractor(deps, procurementOfficer, { code: '914403001922038216', name: '华为' }));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain(first.contractorId);
  });

  it('refuses a wrong check character with a ValidationError at body.code saying why', async () => {
    // Act
    const error = await rejectionOf(registerContractor(deps, procurementOfficer, { code: '914403001922038217', name: '华为技术有限公司' }));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: 'body.code', message: "check character should be '6' but is '7'" }]);
  });

  it('is refused to finance with ForbiddenError', async () => {
    // Act
    const error = await rejectionOf(registerContractor(deps, financeUser, { code: '914403001922038216', name: '华为技术有限公司' }));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
  });
});

describe('reading contractors', () => {
  beforeEach(() => {
    store.seed(contractorFixture(), contractorFixture({ contractorId: 'ctr_other01', code: '914403001922038216', name: '华为技术有限公司' }));
  });

  it('lets a contractor user read its own record', async () => {
    // Act
    const contractor = await getContractor(deps, contractorUser, 'ctr_huanwei01');

    // Assess
    expect(contractor.name).toBe('福州市绿洁环境服务有限公司');
  });

  it('refuses a contractor user another contractor\'s record', async () => {
    // Act
    const error = await rejectionOf(getContractor(deps, contractorUser, 'ctr_other01'));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('lists only its own record to a contractor user', async () => {
    // Act
    const page = await listContractors(deps, contractorUser, { status: 'all' }, { limit: 50 });

    // Assess
    expect(page.items.map((contractor) => contractor.contractorId)).toEqual(['ctr_huanwei01']);
  });

  it('lists the tenant\'s contractors matching a search to an inspector', async () => {
    // Act
    const page = await listContractors(deps, actorWith({ roles: ['inspector'] }), { search: '华为', status: 'all' }, { limit: 50 });

    // Assess
    expect(page.items.map((contractor) => contractor.contractorId)).toEqual(['ctr_other01']);
  });
});

describe('changing contractors', () => {
  beforeEach(() => {
    store.seed(contractorFixture());
  });

  it('refuses a change made against an old version with StaleVersionError', async () => {
    // Act
    const error = await rejectionOf(updateContractor(deps, procurementOfficer, 'ctr_huanwei01', 3, { contactName: '王经理' }));

    // Assess
    expect(error).toBeInstanceOf(StaleVersionError);
  });

  it('suspends and stores the next version', async () => {
    // Act
    const next = await suspendContractor(deps, procurementOfficer, 'ctr_huanwei01', 1, { reason: '停业整顿' });

    // Assess
    expect(next.version).toBe(2);
    expect(store.writes).toEqual([{ contractor: next, expectedVersion: 1 }]);
  });

  it('puts a contractor on the red list', async () => {
    // Act
    const next = await setContractorListing(deps, procurementOfficer, 'ctr_huanwei01', 1, { status: 'red', reason: '2025年第一季度排名第一', since: '2025-04-01', source: '2025Q1 ranking' });

    // Assess
    expect(next.listing).toEqual({ status: 'red', reason: '2025年第一季度排名第一', since: '2025-04-01', source: '2025Q1 ranking' });
  });
});
