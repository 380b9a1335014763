import type { ServiceType } from '../service-types';

/**
 * The Open311 service catalogue (GeoReport v2 "GET Service List"): what a citizen may report
 * through 12345 / 12319, which service type (and so which contract) answers it, which
 * rulebook item it corresponds to, and how many hours the contractor has to fix it.
 *
 * A tenant's catalogue is data: `catalogueFor` answers the default below until tenants carry
 * their own. Deadline sources (../shared/PRACTICE.md), else marked "our choice":
 * - TxDOT US-181 performance table: hazard mitigation 2 h, Category-1 remedy 24 h.
 * - JKR Perak: temporary pothole fix 1 day, fallen-tree hazard 24 h, permanent fix 3 days.
 * - MoD PFI: deficiency points with 24 h to rectify.
 * A complaint reaches the contractor later than an inspector's finding (routing, a citizen's
 * description rather than a photo on site), so no deadline here is shorter than 2 h even
 * where the rulebook's own item is 1 h (CL-LITTER, MU-SPILL).
 */
export interface ServiceDefinition {
  /** Open311 `service_code`: stable, never reused for another meaning. */
  readonly code: string;
  /** Open311 `service_name`. */
  readonly name: string;
  readonly description: string;
  readonly serviceType: ServiceType;
  /** Hours from the request to the fix (the rectification order's due time). */
  readonly deadlineHours: number;
  /** The shipped rulebook templates' item this complaint corresponds to. */
  readonly defectCode?: string;
  /** Open311 `keywords`, comma separated. */
  readonly keywords: string;
  /** Open311 `group`. */
  readonly group: string;
}

export const defaultCatalogue: readonly ServiceDefinition[] = [
  {
    code: 'CL-LITTER',
    name: '道路垃圾未清扫',
    description: '路面有果皮、纸屑、烟头等可见垃圾 (litter on the road)',
    serviceType: 'cleaning',
    deadlineHours: 24, // MoD PFI: 24 h to rectify
    defectCode: 'CL-LITTER',
    keywords: '垃圾,纸屑,烟头,litter',
    group: 'cleaning',
  },
  {
    code: 'CL-PILE',
    name: '垃圾堆积',
    description: '垃圾、杂物堆积未清运 (accumulated waste)',
    serviceType: 'cleaning',
    deadlineHours: 24, // MoD PFI: 24 h to rectify
    defectCode: 'CL-PILE-S',
    keywords: '堆积,杂物,waste',
    group: 'cleaning',
  },
  {
    code: 'CL-BIN',
    name: '果皮箱满溢或破损',
    description: '果壳箱满溢、脏污或破损 (litter bin overflowing or damaged)',
    serviceType: 'cleaning',
    deadlineHours: 24, // MoD PFI: 24 h to rectify
    defectCode: 'CL-BIN',
    keywords: '果皮箱,垃圾桶,bin',
    group: 'cleaning',
  },
  {
    code: 'CL-WATER',
    name: '路面积水积泥',
    description: '路面积水、积泥 (standing water or mud)',
    serviceType: 'cleaning',
    deadlineHours: 24, // TxDOT: Category-1 remedy 24 h
    defectCode: 'CL-WATER',
    keywords: '积水,泥,water,mud',
    group: 'cleaning',
  },
  {
    code: 'MU-COVER',
    name: '井盖缺失破损',
    description: '井盖缺失、破损、下沉或移位 (manhole cover missing or damaged)',
    serviceType: 'municipal',
    deadlineHours: 2, // TxDOT: hazard mitigation 2 h
    defectCode: 'MU-COVER',
    keywords: '井盖,窨井,manhole',
    group: 'municipal',
  },
  {
    code: 'MU-POTHOLE',
    name: '道路坑槽',
    description: '车行道或人行道坑槽 (pothole)',
    serviceType: 'municipal',
    deadlineHours: 24, // JKR Perak: temporary pothole fix 1 day
    defectCode: 'MU-POTHOLE',
    keywords: '坑,坑槽,pothole',
    group: 'municipal',
  },
  {
    code: 'MU-SPILL',
    name: '路面遗撒油污',
    description: '路面遗撒、油污 (spillage on the road)',
    serviceType: 'municipal',
    deadlineHours: 2, // TxDOT: hazard mitigation 2 h (the rulebook item's 1 h is for findings on site)
    defectCode: 'MU-SPILL',
    keywords: '遗撒,油污,spill',
    group: 'municipal',
  },
  {
    code: 'MU-RAIL',
    name: '护栏隔离墩损坏',
    description: '护栏、隔离墩缺失、歪倒或破损 (guard rail damaged)',
    serviceType: 'municipal',
    deadlineHours: 72, // JKR Perak: permanent fix 3 days
    defectCode: 'MU-RAIL',
    keywords: '护栏,隔离墩,rail',
    group: 'municipal',
  },
  {
    code: 'GR-HAZARD',
    name: '倒伏树木断枝',
    description: '倒伏树木、断枝危及通行 (fallen tree or broken branch)',
    serviceType: 'greening',
    deadlineHours: 24, // JKR Perak: fallen-tree hazard 24 h
    defectCode: 'GR-HAZARD',
    keywords: '倒树,断枝,tree',
    group: 'greening',
  },
  {
    code: 'GR-DEADWOOD',
    name: '枯枝死树未清理',
    description: '枯枝、死树未清理 (dead branches or trees)',
    serviceType: 'greening',
    deadlineHours: 72, // JKR Perak: permanent fix 3 days
    defectCode: 'GR-DEADWOOD',
    keywords: '枯枝,死树,deadwood',
    group: 'greening',
  },
];

/** The catalogue of a tenant (today every tenant uses the default). */
export function catalogueFor(_tenantId: string): readonly ServiceDefinition[] {
  return defaultCatalogue;
}

/** The service with this code in the tenant's catalogue, or undefined. */
export function serviceFor(tenantId: string, code: string): ServiceDefinition | undefined {
  return catalogueFor(tenantId).find((service) => service.code === code);
}
