import type { SpotCheckDraw } from './schema';

/** Cryptographic randomness (functions/shared: node:crypto randomBytes); injected so the draw stays pure. */
export interface RandomSource {
  bytes(count: number): Uint8Array;
}

/** Storage of draws (functions/adapters/dynamodb/spot-check-store.ts). */
export interface SpotCheckStore {
  get(tenantId: string, month: string, serviceType: string): Promise<SpotCheckDraw | undefined>;
  /** A new draw; ConflictError when one exists for the month and service type. */
  create(draw: SpotCheckDraw): Promise<void>;
  /** A new version, conditional on `expectedVersion`. */
  save(draw: SpotCheckDraw, expectedVersion: number): Promise<void>;
}
