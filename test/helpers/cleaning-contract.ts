import { expect } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays } from '../../domain/dates';
import type { Segment } from '../../domain/segments/schema';
import { api, tokenFor } from './api';

/** What an active cleaning contract fixture gives a test. */
export interface CleaningContractFixture {
  readonly procurement: string;
  readonly contractorToken: string;
  readonly segmentId: string;
  readonly contract: Contract;
}

/**
 * A contractor, one branch-road segment (12 m wide, on 南京西路 in Shanghai) and an active
 * lump-sum cleaning contract on the shipped `cleaning-standard` rulebook from `today` for a
 * year, all through the API as procurement would enter them.
 */
export async function activeCleaningContract(tenantId: string, segmentName: string, today: string): Promise<CleaningContractFixture> {
  const procurement = await tokenFor('procurement', { tenantId });
  const contractor = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' } });
  expect(contractor.status, contractor.text).toBe(201);
  const contractorToken = await tokenFor('contractor', { tenantId, contractorId: contractor.json.contractorId });
  const segment = await api.request<Segment>('POST', '/v1/segments', {
    token: procurement,
    body: { name: segmentName, street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[121.45, 31.2231], [121.4512, 31.2237]] } },
  });
  expect(segment.status, segment.text).toBe(201);
  const segmentId = segment.json.segmentId;
  const created = await api.request<Contract>('POST', '/v1/contracts', {
    token: procurement,
    body: {
      contractorId: contractor.json.contractorId,
      serviceType: 'cleaning',
      title: '南京西路街道道路保洁服务合同',
      startDate: today,
      endDate: addDays(today, 364),
      performanceBondFen: 5_000_000,
      scope: [segmentId],
      pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
      rulebookTemplateId: 'cleaning-standard',
    },
  });
  expect(created.status, created.text).toBe(201);
  const activated = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/activate`, {
    token: procurement,
    headers: { 'if-match': `"${created.json.version}"` },
    body: {},
  });
  expect(activated.status, activated.text).toBe(200);
  return { procurement, contractorToken, segmentId, contract: activated.json };
}
