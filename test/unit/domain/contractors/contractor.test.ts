import { describe, expect, it } from 'vitest';
import {
  listedContractor,
  matchesContractorFilter,
  newContractor,
  reinstatedContractor,
  suspendedContractor,
  updatedContractor,
} from '../../../../domain/contractors/contractor';
import { contractorIdFor, contractorIdPattern } from '../../../../domain/contractors/identity';
import { ChinesePhone, SetListingInput, UpdateContractorInput } from '../../../../domain/contractors/schema';
import { ConflictError } from '../../../../domain/errors';
import { procurementOfficer, tenantId } from '../../../helpers/fakes';
import { contractorFixture } from './fakes';

const stamp = { actor: procurementOfficer, at: new Date('2025-03-12T08:30:00.000Z') };

describe('contractorIdFor', () => {
  it('gives the same id for the same tenant and code', () => {
    // Act
    const first = contractorIdFor(tenantId, '914403001922038216');
    const second = contractorIdFor(tenantId, '914403001922038216');

    // Assess
    expect(first).toBe(second);
    expect(first).toMatch(contractorIdPattern);
  });

  it('gives another id for the same code in another tenant', () => {
    // Act
    const here = contractorIdFor(tenantId, '914403001922038216');
    const there = contractorIdFor('jingan', '914403001922038216');

    // Assess
    expect(here).not.toBe(there);
  });
});

describe('contractor transitions', () => {
  it('registers an active, unlisted contractor at version 1', () => {
    // Act
    const contractor = newContractor(tenantId, 'ctr_x', '91350100M000100Y43', { name: '福州市绿洁环境服务有限公司' }, stamp);

    // Assess
    expect(contractor).toMatchObject({ status: 'active', listing: { status: 'none' }, version: 1, createdAt: '2025-03-12T08:30:00.000Z', createdBy: 'u-procurement-01' });
  });

  it('applies a change, keeps the code and bumps the version', () => {
    // Act
    const next = updatedContractor(contractorFixture(), { contactName: '王经理' }, stamp);

    // Assess
    expect(next).toMatchObject({ contactName: '王经理', code: '91350100M000100Y43', version: 2, updatedAt: '2025-03-12T08:30:00.000Z' });
  });

  it('suspends an active contractor with the reason and the time', () => {
    // Act
    const next = suspendedContractor(contractorFixture(), '安全生产事故停业整顿', stamp);

    // Assess
    expect(next).toMatchObject({ status: 'suspended', suspendedAt: '2025-03-12T08:30:00.000Z', suspendedReason: '安全生产事故停业整顿', version: 2 });
  });

  it('refuses to suspend a contractor twice with ConflictError', () => {
    // Prepare
    const suspended = contractorFixture({ status: 'suspended', suspendedAt: '2025-02-01T00:00:00.000Z', suspendedReason: '停业整顿' });

    // Act
    const act = (): unknown => suspendedContractor(suspended, 'again', stamp);

    // Assess
    expect(act).toThrow(ConflictError);
  });

  it('reinstates a suspended contractor and drops the suspension fields', () => {
    // Prepare
    const suspended = contractorFixture({ status: 'suspended', suspendedAt: '2025-02-01T00:00:00.000Z', suspendedReason: '停业整顿', version: 2 });

    // Act
    const next = reinstatedContractor(suspended, '整改验收合格', stamp);

    // Assess
    expect(next).toMatchObject({ status: 'active', reinstatedReason: '整改验收合格', version: 3 });
    expect(next).not.toHaveProperty('suspendedAt');
  });

  it('refuses to reinstate an active contractor with ConflictError', () => {
    // Act
    const act = (): unknown => reinstatedContractor(contractorFixture(), '整改验收合格', stamp);

    // Assess
    expect(act).toThrow(ConflictError);
  });

  it('records a black listing with its reason, date and who set it', () => {
    // Act
    const next = listedContractor(contractorFixture(), { status: 'black', reason: '连续两个季度考核排名末位', since: '2025-04-01' }, stamp);

    // Assess
    expect(next.listing).toEqual({ status: 'black', reason: '连续两个季度考核排名末位', since: '2025-04-01', source: 'set by u-procurement-01' });
    expect(next.version).toBe(2);
  });
});

describe('contractor schemas', () => {
  it.each(['13812345678', '+86 138 1234 5678', '0591-87654321', '021-6321 8888', '(0591)87654321', '0591-87654321-808', '400-820-8820'])('accepts the phone number %s', (phone) => {
    // Act
    const result = ChinesePhone.safeParse(phone);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each(['1381234567', '23812345678', '87654321', 'tel: 0591 8765'])('refuses the phone number %s', (phone) => {
    // Act
    const result = ChinesePhone.safeParse(phone);

    // Assess
    expect(result.success).toBe(false);
  });

  it('refuses a change of code and says why', () => {
    // Act
    const result = UpdateContractorInput.safeParse({ code: '914403001922038216' });

    // Assess
    expect(result.error?.issues[0]?.message).toContain('is the contractor\'s identity and cannot change');
  });

  it('refuses a red or black listing without a reason, at the reason field', () => {
    // Act
    const result = SetListingInput.safeParse({ status: 'black', since: '2025-04-01' });

    // Assess
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['reason'], message: 'a red or black listing needs a reason' })]);
  });
});

describe('matchesContractorFilter', () => {
  const contractor = contractorFixture({ nameEn: 'Fuzhou Lüjie Environmental Services' });

  it('matches a part of the Chinese name', () => {
    // Assess
    expect(matchesContractorFilter(contractor, { search: '绿洁', status: 'all' })).toBe(true);
  });

  it('matches a part of the English name whatever the case', () => {
    // Assess
    expect(matchesContractorFilter(contractor, { search: 'environmental', status: 'all' })).toBe(true);
  });

  it('matches the start of the code, typed in lower case', () => {
    // Assess
    expect(matchesContractorFilter(contractor, { search: '91350100m', status: 'all' })).toBe(true);
  });

  it('does not match a piece from the middle of the code', () => {
    // Assess
    expect(matchesContractorFilter(contractor, { search: 'M000100', status: 'all' })).toBe(false);
  });

  it('leaves out contractors of another status', () => {
    // Assess
    expect(matchesContractorFilter(contractor, { status: 'suspended' })).toBe(false);
  });
});
