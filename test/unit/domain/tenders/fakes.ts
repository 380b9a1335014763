import { ConflictError, StaleVersionError } from '../../../../domain/errors';
import type { Page, PageRequest } from '../../../../domain/ports';
import type { TenderStore, TenderWrite } from '../../../../domain/tenders/ports';
import type { Bid, BidPrice, Lot, Tender, TenderFilter } from '../../../../domain/tenders/schema';
import { tenantId } from '../../../helpers/fakes';

/** The close instant of the fixtures' tender: 10 April 2025, 09:30 Beijing time. */
export const closesAt = '2025-04-10T09:30:00+08:00';

/** A lump-sum cleaning lot (南京东路 and 世纪大道), ceiling ¥900 000.00 a month. */
export function lotFixture(overrides: Partial<Lot> = {}): Lot {
  return {
    lotId: 'lot_1',
    name: '第一标段 南京东路片区',
    serviceType: 'cleaning',
    segmentIds: ['seg_k3v5q2ztb4xw7n6a', 'seg_century0000001'],
    areaM2: 43_680,
    pricing: { kind: 'lump_sum', ceilingMonthlyFen: 90_000_000 },
    status: 'open',
    ...overrides,
  };
}

/** A municipal rate card (定性): manhole covers, paving, kerbs. */
export const municipalCard: Lot['pricing'] = {
  kind: 'unit_rate',
  items: [
    { code: 'M-01', nameZh: '更换破损井盖', unit: '个', ceilingUnitFen: 35_000, estimatedQuantityX1000: 12_500 },
    { code: 'M-02', nameZh: '人行道板修补', unit: 'm²', ceilingUnitFen: 12_000, estimatedQuantityX1000: 80_250 },
    { code: 'M-03', nameZh: '路缘石更换', unit: 'm', ceilingUnitFen: 9_000, estimatedQuantityX1000: 30_000 },
  ],
};

/** A closed tender with one lot, weighted 60 / 30 / 10 (price / technical / credit). */
export function tenderFixture(overrides: Partial<Tender> = {}): Tender {
  return {
    tenderId: 'tdr_01jpz8x4k90000000000000001',
    tenantId,
    title: '黄浦区2025—2027年道路保洁服务采购',
    serviceType: 'cleaning',
    evaluation: { method: 'weighted', priceWeight: 60, technicalWeight: 30, creditWeight: 10 },
    closesAt,
    status: 'closed',
    closedAt: '2025-04-10T01:35:00.000Z',
    closedBy: 'u-procurement-01',
    lots: [lotFixture()],
    version: 2,
    createdAt: '2025-03-12T08:30:00.000Z',
    createdBy: 'u-procurement-01',
    updatedAt: '2025-04-10T01:35:00.000Z',
    updatedBy: 'u-procurement-01',
    ...overrides,
  };
}

/** A valid-looking bid on lot_1 submitted the day before the close. */
export function bidFixture(overrides: Partial<Bid> & { bidId: string; contractorId: string; price?: BidPrice }): Bid {
  return {
    tenantId,
    tenderId: 'tdr_01jpz8x4k90000000000000001',
    lotId: 'lot_1',
    submittedAt: '2025-04-09T15:00:00+08:00',
    price: { kind: 'lump_sum', monthlyFen: 80_000_000 },
    technicalScoreX100: 8_500,
    check: { valid: true, problems: [] },
    recordedAt: '2025-04-09T07:05:00.000Z',
    recordedBy: 'u-procurement-01',
    ...overrides,
  };
}

/**
 * An in-memory TenderStore with the port's semantics: conditional tender writes, bids written
 * only while the tender is still at the version the caller read.
 */
export class InMemoryTenderStore implements TenderStore {
  private readonly tenders = new Map<string, Tender>();
  private readonly bidRecords: Bid[] = [];
  readonly writes: TenderWrite[] = [];

  seed(tender: Tender, ...bids: Bid[]): void {
    this.tenders.set(key(tender.tenantId, tender.tenderId), structuredClone(tender));
    this.bidRecords.push(...bids.map((bid) => structuredClone(bid)));
  }

  async get(tenant: string, tenderId: string): Promise<Tender | undefined> {
    const found = this.tenders.get(key(tenant, tenderId));
    return found === undefined ? undefined : structuredClone(found);
  }

  async list(tenant: string, filter: TenderFilter, page: PageRequest): Promise<Page<Tender>> {
    const items = [...this.tenders.values()]
      .filter((tender) => tender.tenantId === tenant && (filter.status === 'all' || tender.status === filter.status))
      .slice(0, page.limit)
      .map((tender) => structuredClone(tender));
    return { items };
  }

  async save(write: TenderWrite): Promise<void> {
    const id = key(write.tender.tenantId, write.tender.tenderId);
    const existing = this.tenders.get(id);
    if (write.expectedVersion === undefined && existing !== undefined) throw new ConflictError(`tender ${write.tender.tenderId} exists`);
    if (write.expectedVersion !== undefined && existing?.version !== write.expectedVersion) {
      throw new StaleVersionError('tender', write.tender.tenderId, write.expectedVersion, existing?.version);
    }
    this.tenders.set(id, structuredClone(write.tender));
    this.writes.push(structuredClone(write));
  }

  async bids(tenant: string, tenderId: string): Promise<readonly Bid[]> {
    return this.bidRecords.filter((bid) => bid.tenantId === tenant && bid.tenderId === tenderId).map((bid) => structuredClone(bid));
  }

  async saveBid(bid: Bid, tenderVersion: number): Promise<void> {
    const tender = this.tenders.get(key(bid.tenantId, bid.tenderId));
    if (tender?.version !== tenderVersion) throw new StaleVersionError('tender', bid.tenderId, tenderVersion, tender?.version);
    if (this.bidRecords.some((each) => each.bidId === bid.bidId)) throw new ConflictError(`bid ${bid.bidId} exists`);
    this.bidRecords.push(structuredClone(bid));
  }
}

function key(tenant: string, id: string): string {
  return `${tenant}\u0000${id}`;
}
