import type { ContractTerms } from '../../../../domain/contracts/schema';
import { derivedId } from '../../../../domain/ids';
import type { ServiceType } from '../../../../domain/service-types';
import type { DeriveInput, ScheduledContract, SegmentInfo } from '../../../../domain/schedule/derive';
import { china2026Calendar } from '../../../../domain/schedule/calendar';
import type { ServiceStandard, StandardActivity } from '../../../../domain/schedule/standard';
import { standardTemplateFor } from '../../../../domain/schedule/templates';
import { cleaningRulebook } from '../contracts/fixtures';

/** Shared schedule test data: contract ids as ULIDs, segment ids as a GIS import derives them. */

export const contractId = 'con_01jnq000000000000000000001';
export const otherContractId = 'con_01jnq000000000000000000002';

/** `seg_` + 16 base32 characters, as domain/segments derives them from an external id. */
export function segmentId(name: string): string {
  return derivedId('seg', 'jingan', name);
}

export const seg = {
  primary: segmentId('P-1'),
  secondary: segmentId('S-1'),
  branch: segmentId('B-1'),
  alley: segmentId('A-1'),
  strictAlley: segmentId('A-2'),
  controlledBranch: segmentId('B-2'),
} as const;

export const segments: ReadonlyMap<string, SegmentInfo> = new Map<string, SegmentInfo>([
  [seg.primary, { grade: 'primary', flags: [] }],
  [seg.secondary, { grade: 'secondary', flags: [] }],
  [seg.branch, { grade: 'branch', flags: [] }],
  [seg.alley, { grade: 'alley', flags: [] }],
  [seg.strictAlley, { grade: 'alley', flags: ['strict'] }],
  [seg.controlledBranch, { grade: 'branch', flags: ['controlled'] }],
]);

export interface VersionSpec {
  readonly effectiveFrom: string;
  readonly scope: readonly string[];
  readonly standardRef?: { readonly standardId: string; readonly version: number };
}

/** A contract with the given terms history (rulebook and price are irrelevant to schedules). */
export function scheduledContract(spec: {
  readonly serviceType?: ServiceType;
  readonly startDate: string;
  readonly endDate: string;
  readonly endedOn?: string;
  readonly versions: readonly VersionSpec[];
  readonly contractId?: string;
}): ScheduledContract {
  const rulebook = cleaningRulebook();
  const versions: ContractTerms[] = spec.versions.map((version, index) => ({
    termsVersion: index + 1,
    effectiveFrom: version.effectiveFrom,
    scope: [...version.scope].sort(),
    pricing: { kind: 'lump_sum', monthlyFen: 10_000_000 },
    ...(version.standardRef === undefined ? {} : { standardRef: version.standardRef }),
    rulebook,
    recordedAt: '2025-12-01T02:00:00.000Z',
    recordedBy: 'usr_procure_wang',
  }));
  return {
    contractId: spec.contractId ?? contractId,
    serviceType: spec.serviceType ?? 'cleaning',
    startDate: spec.startDate,
    endDate: spec.endDate,
    ...(spec.endedOn === undefined ? {} : { endedOn: spec.endedOn }),
    versions,
  };
}

/** A one-activity standard, for tests that look at one rule at a time. */
export function oneActivityStandard(entry: Partial<StandardActivity> & Pick<StandardActivity, 'seasons'>, serviceType: ServiceType = 'cleaning'): ServiceStandard {
  return {
    standardId: 'test-standard',
    serviceType,
    name: '测试标准',
    version: 1,
    activities: [
      {
        activity: 'sweep',
        grades: ['primary', 'secondary', 'branch', 'alley'],
        vehicle: false,
        holidays: 'run',
        graceMinutes: 30,
        minPhotos: 2,
        ...entry,
      },
    ],
  };
}

/** The usual input: the whole fixture city under one contract, Shanghai, 2026 calendar. */
export function input(overrides: Partial<DeriveInput> & Pick<DeriveInput, 'range'>): DeriveInput {
  const serviceType = overrides.contract?.serviceType ?? 'cleaning';
  return {
    contract: scheduledContract({ startDate: '2026-01-01', endDate: '2026-12-31', versions: [{ effectiveFrom: '2026-01-01', scope: [...segments.keys()] }] }),
    standards: standardTemplateFor(serviceType),
    segments,
    calendar: china2026Calendar,
    zone: 'Asia/Shanghai',
    ...overrides,
  };
}
