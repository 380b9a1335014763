import type { Contract } from '../contracts/schema';
import type { Page, PageRequest } from '../ports';
import type { CreditHistory } from './credit';
import type { Bid, Tender, TenderFilter } from './schema';

/** One write of a tender (with its lots): the new state and the version the store must still hold. */
export interface TenderWrite {
  readonly tender: Tender;
  /** The version being replaced; `undefined` when the tender must not exist yet. */
  readonly expectedVersion: number | undefined;
}

/**
 * Storage of tenders and bids; every call is scoped to one tenant. A tender and its lots are
 * one record (an award is a conditional write on its version, so a lot cannot be awarded
 * twice); bids are records of their own, since many are recorded while the tender is open.
 */
export interface TenderStore {
  get(tenantId: string, tenderId: string): Promise<Tender | undefined>;
  /** Newest first. */
  list(tenantId: string, filter: TenderFilter, page: PageRequest): Promise<Page<Tender>>;
  /** Conditional: ConflictError when a tender that must be new exists, StaleVersionError when the version moved. */
  save(write: TenderWrite): Promise<void>;
  /** Every bid of the tender (all lots), in recording order. A tender has tens of bids, not thousands. */
  bids(tenantId: string, tenderId: string): Promise<readonly Bid[]>;
  /**
   * Writes a new bid, atomically with a check that the tender is still at `tenderVersion`
   * (a transaction's condition check), so no bid slips in after the tender was closed.
   * StaleVersionError when the tender moved; ConflictError when the bid id exists.
   */
  saveBid(bid: Bid, tenderVersion: number): Promise<void>;
}

/** The award of a lot and the draft contract it creates. */
export interface AwardWrite {
  /** The tender with the lot marked awarded, and the version read. */
  readonly tender: TenderWrite;
  readonly lotId: string;
  /** The new draft contract of the winner (it must not exist yet). */
  readonly contract: Contract;
}

/**
 * Writes an award and its contract in one transaction, so neither exists without the other:
 * the tender (conditional on its version), a guard of the lot (a lot is awarded at most once:
 * ConflictError when it was), and the draft contract (ConflictError when its id exists).
 * StaleVersionError when the tender moved.
 */
export interface AwardStore {
  saveAward(award: AwardWrite): Promise<void>;
}

/** Past performance of a contractor in a tenant over the credit window; filled by the payments work. */
export interface CreditHistoryReader {
  history(tenantId: string, contractorId: string): Promise<CreditHistory>;
}
