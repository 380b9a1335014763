import { monotonicFactory } from 'ulid';
import type { Clock, IdGenerator } from '../../domain/ports';
import { nextRequestUlid } from './request-ids';

/** The real clock and id generator; tests pass fixed ones to the use cases instead. */
export const systemClock: Clock = { now: () => new Date() };

const nextUlid = monotonicFactory();
/** Always drawn afresh, inside a request too: ids that must differ per attempt (audit entries). */
export const drawnUlids: IdGenerator = { next: () => nextUlid() };
/** Inside an idempotent request, the request's own ids (request-ids.ts), so a retry draws the same. */
export const ulidIds: IdGenerator = { next: () => nextRequestUlid() ?? nextUlid() };
