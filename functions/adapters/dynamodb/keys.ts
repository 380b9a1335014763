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
 * - task outcome                        pk T#{t}#CON#{id}#OUT#{yyyy-mm-dd}  sk TSK#{taskId}  (a contract-day lists with one query)
 * - missed-task sweep checkpoint         pk T#{t}#SWEEP      sk MISSED-TASKS
 * - tenant registry (the one exception)  pk TENANTS          sk T#{t}  (the sweeps' list of tenants; holds no tenant data)
 * - service standard (latest)          pk T#{t}#STANDARDS     sk STD#{id}  (list all of a tenant)
 * - service standard versions          pk T#{t}#STD#{id}      sk V#{version, 8 digits}
 * - schedule exception                 pk T#{t}#SCHED-EXCEPTIONS  sk EXC#{id}  (all of a tenant, filtered in memory)
 * - tenant calendar of a year          pk T#{t}#CALENDARS     sk CAL#{year}
 * - evidence item (one photo)          pk T#{t}#SUBJ#{subjectId}#EVD  sk EV#{evidenceId}  (a task's / order's photos with one query)
 * - photo claim (sha-256 uniqueness)   pk T#{t}#PHOTO#{sha256}  sk CLAIM  (written in the same transaction as the proof that uses it)
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
  taskOutcome: 'TaskOutcome',
  sweepCheckpoint: 'SweepCheckpoint',
  tenantRegistration: 'TenantRegistration',
  standard: 'ServiceStandard',
  standardVersion: 'ServiceStandardVersion',
  scheduleException: 'ScheduleException',
  tenantCalendar: 'TenantCalendar',
  evidence: 'Evidence',
  photoClaim: 'PhotoClaim',
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
  /** Outcomes of one contract-day share a partition: the day's task list joins them with one query. */
  taskOutcome(tenantId: string, contractId: string, localDate: string, taskId: string): ItemKey {
    return { pk: keys.taskOutcomesPartition(tenantId, contractId, localDate), sk: `${keys.taskOutcomePrefix}${taskId}` };
  },
  taskOutcomesPartition(tenantId: string, contractId: string, localDate: string): string {
    return `T#${tenantId}#CON#${contractId}#OUT#${localDate}`;
  },
  taskOutcomePrefix: 'TSK#',
  missedTaskSweepCheckpoint(tenantId: string): ItemKey {
    return { pk: `T#${tenantId}#SWEEP`, sk: 'MISSED-TASKS' };
  },
  /**
   * The one key without a tenant in front (DESIGN §5 "tenant in every partition key"): the
   * scheduled sweeps must find every tenant, and the table has no index over tenant items.
   * The item holds only the tenant id, so no tenant's data sits in a shared partition.
   */
  tenantRegistration(tenantId: string): ItemKey {
    return { pk: keys.tenantRegistryPartition, sk: `T#${tenantId}` };
  },
  tenantRegistryPartition: 'TENANTS',
  standard(tenantId: string, standardId: string): ItemKey {
    return { pk: keys.standardsPartition(tenantId), sk: `STD#${standardId}` };
  },
  standardsPartition(tenantId: string): string {
    return `T#${tenantId}#STANDARDS`;
  },
  standardVersion(tenantId: string, standardId: string, version: number): ItemKey {
    return { pk: `T#${tenantId}#STD#${standardId}`, sk: `V#${String(version).padStart(8, '0')}` };
  },
  scheduleException(tenantId: string, exceptionId: string): ItemKey {
    return { pk: keys.scheduleExceptionsPartition(tenantId), sk: `EXC#${exceptionId}` };
  },
  scheduleExceptionsPartition(tenantId: string): string {
    return `T#${tenantId}#SCHED-EXCEPTIONS`;
  },
  tenantCalendar(tenantId: string, year: number): ItemKey {
    return { pk: `T#${tenantId}#CALENDARS`, sk: `CAL#${year}` };
  },
  evidence(tenantId: string, subjectId: string, evidenceId: string): ItemKey {
    return { pk: keys.evidencePartition(tenantId, subjectId), sk: `${keys.evidencePrefix}${evidenceId}` };
  },
  evidencePartition(tenantId: string, subjectId: string): string {
    return `T#${tenantId}#SUBJ#${subjectId}#EVD`;
  },
  evidencePrefix: 'EV#',
  /** One item per photo hash and tenant: the proof (task, order or work order) that used it first. */
  photoClaim(tenantId: string, sha256: string): ItemKey {
    return { pk: `T#${tenantId}#PHOTO#${sha256}`, sk: 'CLAIM' };
  },
} as const;
