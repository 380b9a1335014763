/**
 * Every key of the single table is computed here and nowhere else (STYLE: ElectroDB habit).
 * Every partition key starts with the tenant (DESIGN §5). Every item carries `entity`.
 *
 * Access patterns:
 * - tenant settings                     pk T#{t}            sk TENANT
 * - segment (current)                   pk T#{t}#SEGMENTS   sk SEG#{id}     (list all of a tenant)
 * - segment versions                    pk T#{t}#SEG#{id}   sk V#{version, 8 digits}
 * - segments of a street (GSI byStreet) gsi1pk T#{t}#STREET#{street}  gsi1sk SEG#{id}
 * - tender (current, lots inline)       pk T#{t}#TENDERS    sk TDR#{id}     (list all of a tenant, newest first)
 * - bid                                 pk T#{t}#TDR#{id}   sk BID#{lotId}#{bidId}
 * - lot evaluation table                pk T#{t}#TDR#{id}   sk EVAL#{lotId}
 * - lot award guard (at most once)      pk T#{t}#TDR#{id}   sk AWARD#{lotId}
 * - contractor (current)                pk T#{t}#CONTRACTORS   sk CTR#{id}  (list/search all of a tenant)
 * - contractor versions                 pk T#{t}#CTR#{id}      sk V#{version, 8 digits}
 * - contract (terms versions inline)    pk T#{t}#CONTRACTS     sk CON#{id}  (list all of a tenant, newest first)
 * - contract scope lock                 pk T#{t}#CONTRACT-SCOPE  sk SVC#{serviceType}  (serialises overlap checks)
 */

export const entityTypes = {
  tenant: 'Tenant',
  segment: 'Segment',
  segmentVersion: 'SegmentVersion',
  tender: 'Tender',
  bid: 'Bid',
  lotEvaluation: 'LotEvaluation',
  lotAward: 'LotAward',
  contractor: 'Contractor',
  contractorVersion: 'ContractorVersion',
  contract: 'Contract',
  contractScopeLock: 'ContractScopeLock',
} as const;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const keys = {
  tenant(tenantId: string): ItemKey {
    return { pk: `T#${tenantId}`, sk: 'TENANT' };
  },
  segment(tenantId: string, segmentId: string): ItemKey {
    return { pk: `T#${tenantId}#SEGMENTS`, sk: `SEG#${segmentId}` };
  },
  segmentsPartition(tenantId: string): string {
    return `T#${tenantId}#SEGMENTS`;
  },
  segmentVersion(tenantId: string, segmentId: string, version: number): ItemKey {
    return { pk: `T#${tenantId}#SEG#${segmentId}`, sk: `V#${String(version).padStart(8, '0')}` };
  },
  segmentVersionsPartition(tenantId: string, segmentId: string): string {
    return `T#${tenantId}#SEG#${segmentId}`;
  },
  segmentByStreet(tenantId: string, street: string, segmentId: string): { gsi1pk: string; gsi1sk: string } {
    return { gsi1pk: keys.streetPartition(tenantId, street), gsi1sk: `SEG#${segmentId}` };
  },
  streetPartition(tenantId: string, street: string): string {
    return `T#${tenantId}#STREET#${street}`;
  },
  tender(tenantId: string, tenderId: string): ItemKey {
    return { pk: keys.tendersPartition(tenantId), sk: `TDR#${tenderId}` };
  },
  tendersPartition(tenantId: string): string {
    return `T#${tenantId}#TENDERS`;
  },
  /** Bids, evaluation tables and award guards of one tender share its partition. */
  tenderPartition(tenantId: string, tenderId: string): string {
    return `T#${tenantId}#TDR#${tenderId}`;
  },
  bid(tenantId: string, tenderId: string, lotId: string, bidId: string): ItemKey {
    return { pk: keys.tenderPartition(tenantId, tenderId), sk: `${keys.bidPrefix}${lotId}#${bidId}` };
  },
  bidPrefix: 'BID#',
  lotEvaluation(tenantId: string, tenderId: string, lotId: string): ItemKey {
    return { pk: keys.tenderPartition(tenantId, tenderId), sk: `${keys.lotEvaluationPrefix}${lotId}` };
  },
  lotEvaluationPrefix: 'EVAL#',
  lotAward(tenantId: string, tenderId: string, lotId: string): ItemKey {
    return { pk: keys.tenderPartition(tenantId, tenderId), sk: `AWARD#${lotId}` };
  },
  contractor(tenantId: string, contractorId: string): ItemKey {
    return { pk: keys.contractorsPartition(tenantId), sk: `CTR#${contractorId}` };
  },
  contractorsPartition(tenantId: string): string {
    return `T#${tenantId}#CONTRACTORS`;
  },
  contractorVersion(tenantId: string, contractorId: string, version: number): ItemKey {
    return { pk: keys.contractorVersionsPartition(tenantId, contractorId), sk: `V#${String(version).padStart(8, '0')}` };
  },
  contractorVersionsPartition(tenantId: string, contractorId: string): string {
    return `T#${tenantId}#CTR#${contractorId}`;
  },
  contract(tenantId: string, contractId: string): ItemKey {
    return { pk: keys.contractsPartition(tenantId), sk: `${keys.contractPrefix}${contractId}` };
  },
  contractsPartition(tenantId: string): string {
    return `T#${tenantId}#CONTRACTS`;
  },
  contractPrefix: 'CON#',
  /**
   * One item per (tenant, service type) whose version every overlap-checked contract write
   * advances in its own transaction: the check-then-write of the overlap rule is atomic.
   */
  contractScopeLock(tenantId: string, serviceType: string): ItemKey {
    return { pk: `T#${tenantId}#CONTRACT-SCOPE`, sk: `SVC#${serviceType}` };
  },
} as const;
