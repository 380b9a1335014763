import { knownActivities } from './standard';

/**
 * Task ids (DESIGN §3 Tasks): a stable, decodable encoding of (contract, segment, activity,
 * window start instant) with a checksum. The same task always gets the same id; an id decodes
 * back to its parts without a lookup; a made-up or mistyped id is refused without a read. The
 * schedule therefore needs no stored occurrences: a proof or a miss stores the id.
 *
 * Layout, version 1 (every byte below is part of every id ever issued: never change it; a new
 * layout takes a new version byte and decoders keep reading version 1):
 *
 * | bytes  | field                                                                          |
 * |--------|--------------------------------------------------------------------------------|
 * | 0–3    | checksum: CRC-32 (IEEE 802.3, as zlib and PNG) of bytes 4..end, big-endian      |
 * | 4      | activity code: 1–254 = knownActivities[code − 1]; 0 = own slug (at the end)      |
 * | 5      | layout version = 1                                                             |
 * | 6–9    | window start, whole minutes since 1970-01-01T00:00Z, unsigned big-endian       |
 * | 10     | id kinds: contract kind x 16 + segment kind                                    |
 * | 11–    | contract id, then segment id, each by its kind:                                |
 * |        |   0 ULID `con_`/`seg_` + 26 Crockford characters → the 16 bytes it encodes      |
 * |        |   1 digest `con_`/`seg_` + 16 RFC 4648 base32 characters (domain/ids.ts) → 10 bytes |
 * |        |   2 anything else: 1 length byte + the whole id in UTF-8 (≤ 255 bytes)         |
 * | last   | when byte 4 is 0: 1 length byte + the activity slug in ASCII                   |
 *
 * Text: `tsk_` + lower-case RFC 4648 base32 of the bytes, no padding; the unused low bits of
 * the last character must be zero, so every task has exactly one spelling. Lower case
 * because ids land in S3 keys (`proofs/…/{taskId}/…`) and in exports that may be unpacked on
 * case-insensitive file systems, and because every other id here is `[0-9a-z]`. A usual id
 * (ULID contract, digest segment, known activity) is 37 bytes → 64 characters.
 *
 * Why this order: bytes 0–4 and 5–9 are whole 5-byte base32 groups, so the text splits into
 * 8 characters that vary per task (checksum and activity), 8 per window (version, minute)
 * and the rest per (contract, segment). The derivation computes the last two once and the
 * first 8 per task; CRC-32 is linear, so each task's checksum is one XOR of a per-window and
 * a per-segment value (`TaskIdWriter`).
 *
 * The checksum is an integrity check, not a secret: anyone who knows this layout can make a
 * well-formed id, which then names a task that the derivation either confirms or not (the
 * API answers 404 for an id the schedule does not contain). CRC-32 was chosen over a cut
 * SHA-256 for speed (a million ids a second) and because it detects every error burst of up
 * to 32 bits, so any single changed character (5 bits) is always caught; a random string
 * passes with probability 2^-32. Should ids ever need to resist forgery, replace bytes 0–3
 * with the first 4–8 bytes of HMAC-SHA-256(tenant key, bytes 4..end) under layout version 2
 * (the key injected as a port, never in the domain) — at the price of the XOR trick above.
 */

export const taskIdPrefix = 'tsk_';
const layoutVersion = 1;

export interface TaskIdParts {
  readonly contractId: string;
  readonly segmentId: string;
  readonly activity: string;
  /** Window start, epoch milliseconds; a whole minute. */
  readonly windowStartMs: number;
}

const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
const crockfordAlphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const base32Codes = Uint8Array.from(base32Alphabet, (char) => char.charCodeAt(0));
const base32Values = valueTable(base32Alphabet);
const crockfordValues = valueTable(crockfordAlphabet);

const ulidId = /^(con|seg)_[0-7][0-9a-hjkmnp-tv-z]{25}$/;
const digestId = /^(con|seg)_[a-z2-7]{16}$/;
const kindUlid = 0;
const kindDigest = 1;
const kindRaw = 2;

const activityCodes = new Map<string, number>(knownActivities.map((activity, index) => [activity, index + 1]));

// ---------------------------------------------------------------------------------------
// CRC-32, reflected polynomial 0xEDB88320, initial register 0xFFFFFFFF, final XOR 0xFFFFFFFF.

const crcTable = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** The CRC register after `bytes`, from `register` (no final XOR). */
function crcRegister(register: number, bytes: ArrayLike<number>): number {
  let c = register;
  for (let i = 0; i < bytes.length; i += 1) c = crcTable[(c ^ (bytes[i] ?? 0)) & 0xff]! ^ (c >>> 8);
  return c;
}

/** The register after `count` zero bytes: the linear part that moves a prefix's state past a suffix. */
function crcZeros(register: number, count: number): number {
  let c = register;
  for (let i = 0; i < count; i += 1) c = crcTable[c & 0xff]! ^ (c >>> 8);
  return c;
}

/** CRC-32 of `bytes` (same value as zlib's crc32). */
export function crc32(bytes: ArrayLike<number>): number {
  return (crcRegister(-1, bytes) ^ -1) >>> 0;
}

// ---------------------------------------------------------------------------------------
// The id's byte fields.

function idBytes(id: string, role: 'con' | 'seg'): { kind: number; bytes: number[] } {
  if (ulidId.test(id) && id.startsWith(`${role}_`)) return { kind: kindUlid, bytes: decodeCrockford128(id.slice(4)) };
  if (digestId.test(id) && id.startsWith(`${role}_`)) return { kind: kindDigest, bytes: decodeBase32Bytes(id.slice(4)) ?? [] };
  const encoded = new TextEncoder().encode(id);
  const utf8 = [...encoded];
  if (utf8.length === 0 || utf8.length > 255) throw new RangeError(`a ${role === 'con' ? 'contract' : 'segment'} id of ${utf8.length} bytes cannot go into a task id (1–255)`);
  // A lone surrogate would come back as U+FFFD: such an id could not be decoded to itself.
  if (new TextDecoder().decode(encoded) !== id) throw new RangeError(`a ${role === 'con' ? 'contract' : 'segment'} id must be well-formed text`);
  return { kind: kindRaw, bytes: [utf8.length, ...utf8] };
}

function activityField(activity: string): { code: number; trailer: number[] } {
  const code = activityCodes.get(activity);
  if (code !== undefined) return { code, trailer: [] };
  if (!/^[a-z][a-z0-9_]{1,39}$/.test(activity)) throw new RangeError(`'${activity}' is not an activity slug`);
  return { code: 0, trailer: [activity.length, ...Array.from(activity, (char) => char.charCodeAt(0))] };
}

function minuteOf(windowStartMs: number): number {
  const minute = windowStartMs / 60_000;
  if (!Number.isInteger(minute) || minute < 0 || minute > 0xffffffff) {
    throw new RangeError(`a window start must be a whole minute between 1970 and 10136, not ${windowStartMs}`);
  }
  return minute;
}

/** Bytes 10.. : kinds, contract, segment, own activity slug. */
function restBytes(contractId: string, segmentId: string, trailer: readonly number[]): number[] {
  const contract = idBytes(contractId, 'con');
  const segment = idBytes(segmentId, 'seg');
  return [contract.kind * 16 + segment.kind, ...contract.bytes, ...segment.bytes, ...trailer];
}

function slotBytes(code: number, minute: number): number[] {
  return [code, layoutVersion, (minute >>> 24) & 0xff, (minute >>> 16) & 0xff, (minute >>> 8) & 0xff, minute & 0xff];
}

/**
 * The id of a task. Throws a RangeError for parts no task can have (a window start that is
 * not a whole minute, an id longer than 255 bytes, an activity that is not a slug).
 */
export function encodeTaskId(parts: TaskIdParts): string {
  const { code, trailer } = activityField(parts.activity);
  const body = [...slotBytes(code, minuteOf(parts.windowStartMs)), ...restBytes(parts.contractId, parts.segmentId, trailer)];
  const crc = crc32(body);
  return taskIdPrefix + encodeBase32([(crc >>> 24) & 0xff, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff, ...body]);
}

/**
 * The parts of a task id, or undefined when the text is not an id this layout could have
 * produced: wrong prefix or characters, non-canonical spelling, unknown version or kind,
 * trailing or missing bytes, or a checksum that does not match. No read, no exception.
 */
export function decodeTaskId(id: string): TaskIdParts | undefined {
  if (typeof id !== 'string' || !id.startsWith(taskIdPrefix) || id.length > 600) return undefined;
  const bytes = decodeBase32Bytes(id.slice(taskIdPrefix.length));
  if (bytes === undefined || bytes.length < 11 + 2 * 2) return undefined;
  if (bytes[5] !== layoutVersion) return undefined;
  const stored = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (crc32(bytes.slice(4)) !== stored) return undefined;
  const minute = ((bytes[6]! << 24) | (bytes[7]! << 16) | (bytes[8]! << 8) | bytes[9]!) >>> 0;
  const kinds = bytes[10]!;
  let at = 11;
  const read = (kind: number, role: 'con' | 'seg'): string | undefined => {
    if (kind === kindUlid) {
      if (at + 16 > bytes.length) return undefined;
      const id = `${role}_${encodeCrockford128(bytes.slice(at, at + 16))}`;
      at += 16;
      return id;
    }
    if (kind === kindDigest) {
      if (at + 10 > bytes.length) return undefined;
      const id = `${role}_${encodeBase32(bytes.slice(at, at + 10))}`;
      at += 10;
      return id;
    }
    if (kind === kindRaw) {
      const length = bytes[at];
      if (length === undefined || length === 0 || at + 1 + length > bytes.length) return undefined;
      const id = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes.slice(at + 1, at + 1 + length)));
      at += 1 + length;
      // A raw id that a shorter kind could carry was not written by encodeTaskId.
      return ulidId.test(id) && id.startsWith(`${role}_`) ? undefined : digestId.test(id) && id.startsWith(`${role}_`) ? undefined : id;
    }
    return undefined;
  };
  try {
    const contractId = read(kinds >>> 4, 'con');
    const segmentId = read(kinds & 15, 'seg');
    if (contractId === undefined || segmentId === undefined) return undefined;
    let activity: string | undefined;
    const code = bytes[4]!;
    if (code === 0) {
      const length = bytes[at];
      if (length === undefined || at + 1 + length > bytes.length) return undefined;
      activity = String.fromCharCode(...bytes.slice(at + 1, at + 1 + length));
      at += 1 + length;
      if (!/^[a-z][a-z0-9_]{1,39}$/.test(activity) || activityCodes.has(activity)) return undefined;
    } else {
      activity = knownActivities[code - 1];
    }
    if (activity === undefined || at !== bytes.length) return undefined;
    return { contractId, segmentId, activity, windowStartMs: minute * 60_000 };
  } catch {
    // Only the fatal UTF-8 decoder throws: a raw id that is not UTF-8 is not an id we wrote.
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// The derivation's fast path: the same ids, with everything but the checksum precomputed.

/** Per (contract, segment): the base32 text of bytes 10.. and the CRC of those bytes from a zero register. */
export interface TaskIdHead {
  readonly segmentId: string;
  /** Base32 of bytes 10..end (they start on a 5-byte group boundary). */
  readonly restText: string;
  /** Bytes 10..end. */
  readonly restLength: number;
  /** CRC register of bytes 10..end from register 0: the part of the checksum the segment fixes. */
  readonly restRegister: number;
}

/** Per window (activity, start minute): the text of bytes 5–9 and the checksum's window part. */
export interface TaskIdSlot {
  readonly code: number;
  /** Base32 of bytes 5–9. */
  readonly slotText: string;
  /** Register after bytes 4–9 from the initial register, moved past `restLength` zero bytes. */
  readonly registerFor: (restLength: number) => number;
}

/**
 * Precomputes task ids for one contract: `head` once per segment, `slot` once per window,
 * then `id(head, slot)` costs one XOR and 8 characters. Known activities only; an own
 * activity slug (code 0) changes the rest bytes, so it goes through `encodeTaskId`.
 */
export class TaskIdWriter {
  readonly #contract: { readonly kind: number; readonly bytes: readonly number[] };

  constructor(readonly contractId: string) {
    this.#contract = idBytes(contractId, 'con');
  }

  head(segmentId: string): TaskIdHead {
    const segment = idBytes(segmentId, 'seg');
    const rest = [this.#contract.kind * 16 + segment.kind, ...this.#contract.bytes, ...segment.bytes];
    return { segmentId, restText: encodeBase32(rest), restLength: rest.length, restRegister: crcRegister(0, rest) };
  }

  static slot(activity: string, windowStartMs: number): TaskIdSlot | undefined {
    const code = activityCodes.get(activity);
    if (code === undefined) return undefined;
    const bytes = slotBytes(code, minuteOf(windowStartMs));
    const register = crcRegister(-1, bytes);
    const byLength = new Map<number, number>();
    return {
      code,
      slotText: encodeBase32(bytes.slice(1)),
      registerFor: (restLength) => {
        let value = byLength.get(restLength);
        if (value === undefined) {
          value = crcZeros(register, restLength);
          byLength.set(restLength, value);
        }
        return value;
      },
    };
  }

  /**
   * The id; equal to `encodeTaskId` of the same parts. `slotRegister` is
   * `slot.registerFor(head.restLength)`, passed in so a loop over segments of one length
   * looks it up once.
   */
  static id(head: TaskIdHead, slot: TaskIdSlot, slotRegister: number): string {
    // CRC is linear: register(init, slot ‖ rest) = zeros(register(init, slot), |rest|) XOR register(0, rest).
    const crc = (slotRegister ^ head.restRegister ^ -1) >>> 0;
    const code = slot.code;
    return (
      taskIdPrefix +
      String.fromCharCode(
        base32Codes[crc >>> 27]!,
        base32Codes[(crc >>> 22) & 31]!,
        base32Codes[(crc >>> 17) & 31]!,
        base32Codes[(crc >>> 12) & 31]!,
        base32Codes[(crc >>> 7) & 31]!,
        base32Codes[(crc >>> 2) & 31]!,
        base32Codes[((crc & 3) << 3) | (code >>> 5)]!,
        base32Codes[code & 31]!,
      ) +
      slot.slotText +
      head.restText
    );
  }
}

// ---------------------------------------------------------------------------------------
// Base32 (RFC 4648, lower case, no padding) and Crockford base32 for 128-bit ULIDs.

function valueTable(alphabet: string): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i += 1) table[alphabet.charCodeAt(i)] = i;
  return table;
}

/**
 * Base32 text built with one fromCharCode call: a flat string. Built with `+=` it would be a
 * rope of one-character pieces, and every id concatenated from it would walk that rope again
 * when V8 flattens the id (measured: 4x slower per task in the derivation).
 */
function encodeBase32(bytes: ArrayLike<number>): string {
  const codes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    buffer = (buffer << 8) | (bytes[i]! & 0xff);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      codes.push(base32Codes[(buffer >>> bits) & 31]!);
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) codes.push(base32Codes[(buffer << (5 - bits)) & 31]!);
  return String.fromCharCode(...codes);
}

/** Bytes of canonical lower-case base32 text; undefined for other characters or non-zero pad bits. */
function decodeBase32Bytes(text: string): number[] | undefined {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? base32Values[code]! : -1;
    if (value < 0) return undefined;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >>> bits) & 0xff);
      buffer &= (1 << bits) - 1;
    }
  }
  // Leftover bits must be fewer than a character's 5 and all zero, or two texts would name one id.
  if (bits >= 5 || buffer !== 0) return undefined;
  return bytes;
}

/** 26 Crockford characters (the first at most 7) → the 16 bytes of the ULID. */
function decodeCrockford128(text: string): number[] {
  let value = 0n;
  for (const char of text) value = (value << 5n) | BigInt(crockfordValues[char.charCodeAt(0)] ?? 0);
  const bytes: number[] = [];
  for (let i = 15; i >= 0; i -= 1) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return bytes;
}

function encodeCrockford128(bytes: readonly number[]): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  for (let i = 25; i >= 0; i -= 1) out += crockfordAlphabet[Number((value >> BigInt(i * 5)) & 31n)];
  return out;
}
