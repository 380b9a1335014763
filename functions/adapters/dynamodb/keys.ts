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
 * - contract (terms versions inline)    pk T#{t}#CONTRACTS     sk CON#{id}  (list all of a tenant, newest first; each version's scope, pricing and rulebook by reference)
 * - contract terms part                 pk T#{t}#CON#{id}#TERMS  sk PART#{scope|pricing|rulebook}#{sha-256}  (content-addressed, written once, never changed: versions that share a part share the item)
 * - contract scope lock                 pk T#{t}#CONTRACT-SCOPE  sk SVC#{serviceType}  (serialises overlap checks)
 * - task outcome                        pk T#{t}#CON#{id}#OUT#{yyyy-mm-dd}  sk TSK#{taskId}  (a contract-day lists with one query)
 * - missed-task sweep checkpoint         pk T#{t}#SWEEP      sk MISSED-TASKS
 * - tenant registry (the one exception)  pk TENANTS          sk T#{t}  (the sweeps' list of tenants; holds no tenant data)
 * - service standard (latest)          pk T#{t}#STANDARDS     sk STD#{id}  (list all of a tenant)
 * - service standard versions          pk T#{t}#STD#{id}      sk V#{version, 8 digits}
 * - schedule exception                 pk T#{t}#SCHED-EXCEPTIONS  sk EXC#{id}  (all of a tenant, filtered in memory)
 * - tenant calendar of a year          pk T#{t}#CALENDARS     sk CAL#{year}
 * - evidence item (one photo)          pk T#{t}#SUBJ#{subjectId}#EVD  sk EV#{evidenceId}  (a task's / order's photos with one query)
 * - evidence locator                  pk T#{t}#EV#{evidenceId}  sk LOCATOR  (evidence id → subject: a photo named for another subject is found and named; written with the slot)
 * - photo claim (sha-256 uniqueness)   pk T#{t}#PHOTO#{sha256}  sk CLAIM  (written in the same transaction as the proof that uses it)
 * - inspection (written once)          pk T#{t}#INS#{inspectionId}  sk INSPECTION
 * - inspection superseded guard        pk T#{t}#INS#{inspectionId}  sk SUPERSEDED  (put once by the correcting inspection's transaction: a 2nd correction fails; a get reads both with one query)
 * - inspections of a contract-month    pk T#{t}#CON#{c}#INS#{yyyy-mm}  sk AT#{at}#{inspectionId}  (full copy; inspections never change, so copies never go stale)
 * - inspections of a segment-month     pk T#{t}#SEG#{s}#INS#{yyyy-mm}  sk AT#{at}#{inspectionId}  (full copy; escalation counts the month's findings with one query)
 * - rectification order (current)      pk T#{t}#REC#{orderId}  sk ORDER
 * - orders of a contract by due time   pk T#{t}#CON#{c}#RECS  sk DUE#{dueAt}#{orderId}  (full copy rewritten in every order transaction; dueAt never moves)
 * - owing orders by due time           pk T#{t}#REC-OWING  sk DUE#{dueAt}#{orderId}  (put in every order transaction; marked `settled` (TTL expiresAt a week on) unless open/reopened and not yet late; the overdue sweep queries sk ≤ DUE#{now}~ filtering settled)
 * - complaint (Open311 request)        pk T#{t}#COMPLAINTS  sk CMP#{complaintId}  (ids are ULIDs: a requested-time range is one sk range)
 * - work order                         pk T#{t}#CON#{id}#WORKORDERS  sk WO#{workOrderId}  (a contract's orders, filtered by status / month, with one query)
 * - work order locator                 pk T#{t}#WO#{workOrderId}  sk LOCATOR  (id → contract; written once with the order)
 * - spot-check draw                    pk T#{t}#SPOTCHECKS  sk DRAW#{yyyy-mm}#{serviceType}
 * - proof                              pk T#{t}#CON#{c}#PRF#{yyyy-mm-dd}  sk PRF#{proofId}  (a contract-day's proofs with one query; status by filter)
 * - proof pointer                      pk T#{t}#PROOF#{proofId}  sk POINTER  (contract + date of a proof id: `prf_` + ULID cannot encode them; written once, with the proof)
 * - flagged-proof queue (GSI byStreet, overloaded)  gsi1pk T#{t}#FLAGGED-PROOFS  gsi1sk PRF#{yyyy-mm-dd}#{proofId}  (sparse: only on the
 *                                      item of an accepted task proof that carries flags; a rejection's new version drops it, an undo
 *                                      puts it back; queried newest date first. The index's key attributes are generic, so this
 *                                      pattern shares the one GSI the table has rather than adding one: no street partition starts
 *                                      with FLAGGED-PROOFS, and segments' gsi1pk is T#{t}#STREET#…)
 * - statement (current, per contract-month)  pk T#{t}#STMT#{yyyy-mm}  sk CON#{contractId}  (a tenant-month's statements with one query)
 * - statement computation (kept, with its inputs)  pk T#{t}#CON#{c}#STMT#{yyyy-mm}  sk CV#{computeVersion, 8 digits}
 * - Open311 api_key (a client app's)  pk T#{t}#OPEN311-KEYS  sk KEY#{keyId}  (a tenant's keys with one query; the key itself is never stored, only its sha-256)
 * - ranking notice (to procurement)    pk T#{t}#NOTICES  sk NTC#{period}#{kind}#{contractId}  (written once, put-if-absent; a tenant's notices with one query, period descending)
 * - statement export job (issue 16)    pk T#{t}#EXPORT-JOBS  sk JOB#{jobId}  (put once, then claimed and finished by conditional updates; TTL expiresAt 30 days on)
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
  contractTermsPart: 'ContractTermsPart',
  contractScopeLock: 'ContractScopeLock',
  taskOutcome: 'TaskOutcome',
  sweepCheckpoint: 'SweepCheckpoint',
  tenantRegistration: 'TenantRegistration',
  standard: 'ServiceStandard',
  standardVersion: 'ServiceStandardVersion',
  scheduleException: 'ScheduleException',
  tenantCalendar: 'TenantCalendar',
  evidence: 'Evidence',
  evidenceLocator: 'EvidenceLocator',
  photoClaim: 'PhotoClaim',
  inspection: 'Inspection',
  inspectionListing: 'InspectionListing',
  inspectionSuperseded: 'InspectionSuperseded',
  rectificationOrder: 'RectificationOrder',
  rectificationListing: 'RectificationOrderListing',
  rectificationOwing: 'RectificationOwing',
  complaint: 'Complaint',
  workOrder: 'WorkOrder',
  workOrderLocator: 'WorkOrderLocator',
  spotCheckDraw: 'SpotCheckDraw',
  proof: 'Proof',
  proofPointer: 'ProofPointer',
  statement: 'Statement',
  statementComputation: 'StatementComputation',
  rankingNotice: 'RankingNotice',
  open311ApiKey: 'Open311ApiKey',
  exportJob: 'ExportJob',
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
  /** A terms part (scope, pricing or rulebook) of a contract, by its reference `{kind}#{sha-256}`. */
  contractTermsPart(tenantId: string, contractId: string, ref: string): ItemKey {
    return { pk: `T#${tenantId}#CON#${contractId}#TERMS`, sk: `PART#${ref}` };
  },
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
  evidenceLocator(tenantId: string, evidenceId: string): ItemKey {
    return { pk: `T#${tenantId}#EV#${evidenceId}`, sk: 'LOCATOR' };
  },
  /** One item per photo hash and tenant: the proof (task, order or work order) that used it first. */
  photoClaim(tenantId: string, sha256: string): ItemKey {
    return { pk: `T#${tenantId}#PHOTO#${sha256}`, sk: 'CLAIM' };
  },
  inspection(tenantId: string, inspectionId: string): ItemKey {
    return { pk: keys.inspectionPartition(tenantId, inspectionId), sk: 'INSPECTION' };
  },
  inspectionPartition(tenantId: string, inspectionId: string): string {
    return `T#${tenantId}#INS#${inspectionId}`;
  },
  inspectionSuperseded(tenantId: string, inspectionId: string): ItemKey {
    return { pk: keys.inspectionPartition(tenantId, inspectionId), sk: 'SUPERSEDED' };
  },
  /** `at` is a UTC ISO instant, so the sort key orders by inspection time. */
  inspectionByContractMonth(tenantId: string, contractId: string, month: string, at: string, inspectionId: string): ItemKey {
    return { pk: keys.inspectionsOfContractMonth(tenantId, contractId, month), sk: `AT#${at}#${inspectionId}` };
  },
  inspectionsOfContractMonth(tenantId: string, contractId: string, month: string): string {
    return `T#${tenantId}#CON#${contractId}#INS#${month}`;
  },
  inspectionBySegmentMonth(tenantId: string, segmentId: string, month: string, at: string, inspectionId: string): ItemKey {
    return { pk: keys.inspectionsOfSegmentMonth(tenantId, segmentId, month), sk: `AT#${at}#${inspectionId}` };
  },
  inspectionsOfSegmentMonth(tenantId: string, segmentId: string, month: string): string {
    return `T#${tenantId}#SEG#${segmentId}#INS#${month}`;
  },
  rectificationOrder(tenantId: string, orderId: string): ItemKey {
    return { pk: `T#${tenantId}#REC#${orderId}`, sk: 'ORDER' };
  },
  /** `dueAt` is a UTC ISO instant: the sort key orders by due time and `dueBefore` is a range. */
  rectificationByContract(tenantId: string, contractId: string, dueAt: string, orderId: string): ItemKey {
    return { pk: keys.rectificationsOfContract(tenantId, contractId), sk: `${keys.rectificationDuePrefix}${dueAt}#${orderId}` };
  },
  rectificationsOfContract(tenantId: string, contractId: string): string {
    return `T#${tenantId}#CON#${contractId}#RECS`;
  },
  rectificationDuePrefix: 'DUE#',
  rectificationOwing(tenantId: string, dueAt: string, orderId: string): ItemKey {
    return { pk: keys.rectificationsOwing(tenantId), sk: `${keys.rectificationDuePrefix}${dueAt}#${orderId}` };
  },
  rectificationsOwing(tenantId: string): string {
    return `T#${tenantId}#REC-OWING`;
  },
  complaint(tenantId: string, complaintId: string): ItemKey {
    return { pk: keys.complaintsPartition(tenantId), sk: `${keys.complaintPrefix}${complaintId}` };
  },
  complaintsPartition(tenantId: string): string {
    return `T#${tenantId}#COMPLAINTS`;
  },
  complaintPrefix: 'CMP#',
  workOrder(tenantId: string, contractId: string, workOrderId: string): ItemKey {
    return { pk: keys.workOrdersPartition(tenantId, contractId), sk: `${keys.workOrderPrefix}${workOrderId}` };
  },
  workOrdersPartition(tenantId: string, contractId: string): string {
    return `T#${tenantId}#CON#${contractId}#WORKORDERS`;
  },
  workOrderPrefix: 'WO#',
  /** GET by id knows no contract: this item, written once in the order's creating transaction, names it. */
  workOrderLocator(tenantId: string, workOrderId: string): ItemKey {
    return { pk: `T#${tenantId}#WO#${workOrderId}`, sk: 'LOCATOR' };
  },
  spotCheckDraw(tenantId: string, month: string, serviceType: string): ItemKey {
    return { pk: `T#${tenantId}#SPOTCHECKS`, sk: `DRAW#${month}#${serviceType}` };
  },
  /** Proofs of one contract-day share a partition, in submission (ULID) order. */
  proof(tenantId: string, contractId: string, localDate: string, proofId: string): ItemKey {
    return { pk: keys.proofsPartition(tenantId, contractId, localDate), sk: `${keys.proofPrefix}${proofId}` };
  },
  proofsPartition(tenantId: string, contractId: string, localDate: string): string {
    return `T#${tenantId}#CON#${contractId}#PRF#${localDate}`;
  },
  proofPrefix: 'PRF#',
  /**
   * The queue of accepted task proofs that carry flags (issue 14), on the proof item itself:
   * one partition per tenant in the overloaded GSI (infra/definitions.ts `byStreet`, whose key
   * attributes are gsi1pk / gsi1sk), sorted by the task's local date, then by proof id (ULID:
   * submission order).
   */
  flaggedProof(tenantId: string, localDate: string, proofId: string): { gsi1pk: string; gsi1sk: string } {
    return { gsi1pk: keys.flaggedProofsPartition(tenantId), gsi1sk: `${keys.flaggedProofPrefix}${localDate}#${proofId}` };
  },
  flaggedProofsPartition(tenantId: string): string {
    return `T#${tenantId}#FLAGGED-PROOFS`;
  },
  flaggedProofPrefix: 'PRF#',
  /** Where a proof id lives: its contract and date (the item never changes). */
  proofPointer(tenantId: string, proofId: string): ItemKey {
    return { pk: `T#${tenantId}#PROOF#${proofId}`, sk: 'POINTER' };
  },
  /** A tenant-month's current statements share a partition: the finance list is one Query. */
  statement(tenantId: string, month: string, contractId: string): ItemKey {
    return { pk: keys.statementsOfMonth(tenantId, month), sk: `${keys.contractPrefix}${contractId}` };
  },
  statementsOfMonth(tenantId: string, month: string): string {
    return `T#${tenantId}#STMT#${month}`;
  },
  statementComputation(tenantId: string, contractId: string, month: string, computeVersion: number): ItemKey {
    return { pk: keys.statementComputations(tenantId, contractId, month), sk: `${keys.statementComputationPrefix}${String(computeVersion).padStart(8, '0')}` };
  },
  statementComputations(tenantId: string, contractId: string, month: string): string {
    return `T#${tenantId}#CON#${contractId}#STMT#${month}`;
  },
  statementComputationPrefix: 'CV#',
  rankingNotice(tenantId: string, period: string, kind: string, contractId: string): ItemKey {
    return { pk: keys.rankingNotices(tenantId), sk: `${keys.rankingNoticePrefix}${period}#${kind}#${contractId}` };
  },
  rankingNotices(tenantId: string): string {
    return `T#${tenantId}#NOTICES`;
  },
  rankingNoticePrefix: 'NTC#',
  open311ApiKey(tenantId: string, keyId: string): ItemKey {
    return { pk: keys.open311ApiKeys(tenantId), sk: `${keys.open311ApiKeyPrefix}${keyId}` };
  },
  open311ApiKeys(tenantId: string): string {
    return `T#${tenantId}#OPEN311-KEYS`;
  },
  open311ApiKeyPrefix: 'KEY#',
  exportJob(tenantId: string, jobId: string): ItemKey {
    return { pk: keys.exportJobs(tenantId), sk: `JOB#${jobId}` };
  },
  /** One partition of jobs per tenant: the only items the export functions may write (infra/stateless.ts). */
  exportJobs(tenantId: string): string {
    return `T#${tenantId}#EXPORT-JOBS`;
  },
} as const;
