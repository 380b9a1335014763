import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * The ids an idempotent request draws are derived from the request, not drawn at random, so a
 * retry of the same request (same Idempotency-Key, caller, route and body) after a lost answer
 * addresses the same records as its first attempt instead of creating new ones (issue 13: the
 * fault suite, seed 1725429042, recorded a bid twice: the first attempt's transaction was
 * written, every answer of it lost, the request failed with a 503 and its retry recorded a
 * second bid under a new id with a second audit entry).
 *
 * - `runWithRequestIds` (functions/shared/idempotency.ts) runs an idempotent request's use case
 *   with a seed: the instant of its FIRST attempt (kept in its idempotency record across a
 *   failed attempt) and a digest of what identifies it;
 * - `nextRequestUlid` (behind `ulidIds`, functions/shared/system.ts) gives the n-th id of the
 *   request: a ULID whose time part is that instant and whose 80 random bits are 60 bits of the
 *   digest and a 20-bit counter, so the ids of one request keep their order and every attempt
 *   draws the same ones in the same order;
 * - `issuedByThisRequest` tells a store that a new item whose key already exists holds one of
 *   those ids: only an earlier attempt of this very request can have written it, and the
 *   transaction that did so committed (versioned-items.ts `sendTransaction`).
 *
 * Outside an idempotent request (no Idempotency-Key, event handlers, seeds) nothing changes:
 * `nextRequestUlid` answers undefined and the ids are the monotonic ULIDs they always were.
 */

export interface RequestIdSeed {
  /** The instant (ms) the request was first attempted: the time part of its ids. */
  readonly startedAtMs: number;
  /** What identifies the request (tenant, route, path, Idempotency-Key, caller, body). */
  readonly scope: string;
}

interface RequestIds {
  readonly time: string;
  readonly digest: string;
  counter: number;
  /** Upper-cased ids issued so far (ids are stored lower-cased behind a prefix: `bid_…`). */
  readonly issued: Set<string>;
}

/** Crockford's base32, the ULID alphabet. */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const counterDigits = 4;
const maxCounter = 32 ** counterDigits;
const storage = new AsyncLocalStorage<RequestIds>();

function base32(value: bigint, digits: number): string {
  let text = '';
  let rest = value;
  for (let index = 0; index < digits; index += 1) {
    text = alphabet[Number(rest % 32n)]! + text;
    rest /= 32n;
  }
  return text;
}

/** Runs `work` (and all it awaits) drawing its ids from `seed`. */
export function runWithRequestIds<T>(seed: RequestIdSeed, work: () => T): T {
  if (!Number.isSafeInteger(seed.startedAtMs) || seed.startedAtMs < 0 || seed.startedAtMs >= 2 ** 48) throw new RangeError(`a request's start must be a ULID time (ms), got ${seed.startedAtMs}`);
  const digest = createHash('sha256').update(seed.scope).digest();
  return storage.run(
    { time: base32(BigInt(seed.startedAtMs), 10), digest: base32(digest.readBigUInt64BE(0) >> 4n, 16 - counterDigits), counter: 0, issued: new Set() },
    work,
  );
}

/** The next id of the running idempotent request; undefined outside one. */
export function nextRequestUlid(): string | undefined {
  const ids = storage.getStore();
  if (ids === undefined) return undefined;
  if (ids.counter >= maxCounter) throw new RangeError(`one request cannot draw more than ${maxCounter} ids`);
  const ulid = ids.time + ids.digest + base32(BigInt(ids.counter), counterDigits);
  ids.counter += 1;
  ids.issued.add(ulid);
  return ulid;
}

/** Whether `text` (an item's key, an id) holds an id the running request has issued. */
export function issuedByThisRequest(text: string): boolean {
  const ids = storage.getStore();
  if (ids === undefined || ids.issued.size === 0) return false;
  const upper = text.toUpperCase();
  // Every id of a request starts with the same 22 characters: one search, then the exact id.
  const stem = ids.time + ids.digest;
  for (let at = upper.indexOf(stem); at >= 0; at = upper.indexOf(stem, at + 1)) {
    if (ids.issued.has(upper.slice(at, at + 26))) return true;
  }
  return false;
}

/**
 * The next id of the running idempotent request as a lower-case UUID (RFC 9562 version 8,
 * built from `nextRequestUlid`'s 128 bits with the version and variant bits set); undefined
 * outside one. Upload slots draw it (issue 13: "upload-slot ids derived from the
 * Idempotency-Key, so a retried slot request leaves no unused slot").
 */
export function nextRequestUuid(): string | undefined {
  const ulid = nextRequestUlid();
  if (ulid === undefined) return undefined;
  let value = 0n;
  for (const character of ulid) value = value * 32n + BigInt(alphabet.indexOf(character));
  const hex = value.toString(16).padStart(32, '0').split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
