import { monotonicFactory } from 'ulid';
import type { Clock, IdGenerator } from '../../domain/ports';

/** The real clock and id generator; tests pass fixed ones to the use cases instead. */
export const systemClock: Clock = { now: () => new Date() };

const nextUlid = monotonicFactory();
export const ulidIds: IdGenerator = { next: () => nextUlid() };
