import type { Page, PageRequest } from '../ports';
import type { TenantCalendarFields } from './calendar';
import type { ScheduleException } from './exceptions';
import type { ServiceStandard } from './standard';

/**
 * What the schedule use cases need from storage, beside the module (as contracts/ports.ts).
 * Task outcomes have their own port (outcomes.ts); tasks themselves are never stored.
 */

/** A tenant's stored standard version: the standard plus who recorded it and when. */
export type StoredStandard = ServiceStandard & {
  readonly tenantId: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
};

export interface StandardWrite {
  readonly standard: StoredStandard;
  /** The version being replaced; `undefined` when the standard must not exist yet. */
  readonly expectedVersion: number | undefined;
}

/** Exceptions are never deleted: a withdrawal is a new version of the record. */
export const exceptionStatuses = ['active', 'withdrawn'] as const;
export type ExceptionStatus = (typeof exceptionStatuses)[number];

/** An exception as stored: audited (who and when), versioned for If-Match, withdrawable. */
export type StoredException = ScheduleException & {
  readonly tenantId: string;
  readonly status: ExceptionStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly withdrawnAt?: string;
  readonly withdrawnBy?: string;
  readonly withdrawReason?: string;
};

/** A tenant's calendar of one year. */
export type StoredCalendar = TenantCalendarFields & {
  readonly tenantId: string;
  readonly year: number;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
};

/** Storage of standards, exceptions and calendars; every call is scoped to one tenant. */
export interface ScheduleStore {
  /** The latest version, or the given one. */
  getStandard(tenantId: string, standardId: string, version?: number): Promise<StoredStandard | undefined>;
  /** Latest versions, by standard id. */
  listStandards(tenantId: string, page: PageRequest): Promise<Page<StoredStandard>>;
  /** Conditional: ConflictError when a new standard exists, StaleVersionError when the version moved. */
  saveStandard(write: StandardWrite): Promise<void>;

  getException(tenantId: string, exceptionId: string): Promise<StoredException | undefined>;
  /** Every exception of the tenant, withdrawn ones included (a district has hundreds a year, not millions). */
  listExceptions(tenantId: string): Promise<readonly StoredException[]>;
  saveException(exception: StoredException, expectedVersion: number | undefined): Promise<void>;

  getCalendar(tenantId: string, year: number): Promise<StoredCalendar | undefined>;
  saveCalendar(calendar: StoredCalendar, expectedVersion: number | undefined): Promise<void>;
}
