import fc from 'fast-check';

/**
 * The hostile values the issue lists (issue 8 "Fuzzing"), grouped so a failing run says
 * which family broke a route. Every family is plain data; the request generator decides
 * where to put them.
 */

export const controlAndBidi = [
  '\u0000',
  'a\u0000b',
  '\u0007\u0008\u001b[31mred',
  '\r\n\r\nX-Injected: 1',
  '\u202Egnp.exe',
  'الشارع\u202Dabc\u202C',
  '\u2066isolate\u2069',
  '\u200F\u200E\u200B',
  '\uFEFFbom',
  '\u{1F9F9}\u{1F333}🚮',
  'Z\u0351\u0352\u0357\u035B\u0327',
] as const;

export const loneSurrogates = ['\uD800', 'a\uDC00b', '\uDBFF\uDBFF', '\uDFFF'] as const;

export const nanIsh = ['NaN', 'Infinity', '-Infinity', '1e400', '0x10', ' 1 ', '1,000', '１２', '-0', '+5', '1_000', 'null', 'undefined', 'true'] as const;

export const impossibleDates = [
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '2026-02-29',
  '0000-01-01',
  '-0001-01-01',
  '+275760-09-13',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:59:60Z',
  '2026-01-01T08:00:00+25:00',
  '2026-01-01T08:00:00-99:99',
  '2026-1-1',
  '20260101',
  '24:00',
  '23:60',
  '2026-01',
  '2026-Q5',
  '9999-12-31T23:59:59.999999999Z',
  '1970-01-01T00:00:00Z',
] as const;

export const unknownZones = ['Mars/Olympus_Mons', 'Asia/Shang_hai', 'UTC+25', 'Etc/GMT+99', '+25:00', 'local'] as const;

export const badMoney = [-1, -100, -0.5, 0.5, 1.005, 12.345, -0, 1e21, 2 ** 53 + 2, -(2 ** 53), Number.MIN_VALUE, 1e-7] as const;

export const madeUpIds = [
  'seg_0000000000',
  'con_00000000000000000000000000',
  'ctr_00000000000000000000000000',
  'wo_00000000000000000000000000',
  'rec_00000000000000000000000000',
  'cmp_00000000000000000000000000',
  'ev_0123456789abcdef0123456789abcdef',
  'SEG_ABCDEFGHIJ',
  'xyz_01HZY3',
  '01HZY3T8K9QW6V3M2N1P0RSTUV',
  '00000000-0000-0000-0000-000000000000',
  '12345',
  '-1',
  'undefined',
  '__proto__',
  'constructor',
  'a'.repeat(10_240),
] as const;

/** A JSON value of the wrong type for almost any field. */
export const wrongTypes: readonly unknown[] = [null, true, false, 0, 1, -1, 1.5, '', ' ', 'x', [], [null], {}, { a: 1 }, [[[]]], '[]', '{}'];

/** Strings of every hostile family, including huge ones. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<string>(...controlAndBidi, ...loneSurrogates) },
    { weight: 2, arbitrary: fc.constantFrom<string>(...nanIsh) },
    { weight: 3, arbitrary: fc.constantFrom<string>(...impossibleDates, ...unknownZones) },
    { weight: 2, arbitrary: fc.constantFrom<string>(...madeUpIds) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t\n') },
    { weight: 1, arbitrary: fc.integer({ min: 256, max: 70_000 }).map((length) => 'x'.repeat(length)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );
}

/** Any hostile JSON value: wrong types, bad numbers, hostile strings, deep nesting. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...wrongTypes) },
    { weight: 3, arbitrary: fc.constantFrom<number>(...badMoney) },
    { weight: 1, arbitrary: fc.integer().map((n) => -Math.abs(n) - 1) },
    { weight: 5, arbitrary: hostileString() },
    { weight: 1, arbitrary: fc.integer({ min: 20, max: 400 }).map(deepNest) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((length) => Array.from({ length }, () => 1)) },
    // Hundreds of thousands of wrong items in a body under the limit: one issue each, unless capped.
    { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 400_000 }).map((length) => Array.from({ length }, () => 1)) },
  );
}

function deepNest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

/** Cursors a list may be sent: random base64, truncated JSON, and (resolved at run time) another list's. */
export function hostileCursor(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString('base64')),
    fc.uint8Array({ minLength: 1, maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
    fc.constantFrom(
      Buffer.from('{"pk":"T#other#SEG","sk":"SEG#x"}').toString('base64url'),
      Buffer.from('{"pk":1}').toString('base64url'),
      Buffer.from('{').toString('base64url'),
      Buffer.from('null').toString('base64url'),
      Buffer.from('[]').toString('base64url'),
      '====',
      '%%%',
      'a'.repeat(10_240),
    ),
    hostileString(),
  );
}

export const badIdempotencyKeys = ['', 'k', 'short', 'a'.repeat(10_240), 'key with spaces 123', 'key\u0000control', 'ключ-unicode-12345', '\t\t\t\t\t\t\t\t\t'] as const;

export const badIfMatch = ['W/"x"', '"-1"', '-1', '"99999999999"', '99999999999', '"1", "2"', '*', '', '"1', '1"', '"1.5"', '"0x1"', 'W/', '" 1 "'] as const;

export const wrongContentTypes = [
  'text/plain',
  'text/plain; charset=utf-8',
  'multipart/form-data; boundary=----xiuhua',
  'application/xml',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'application/jsonx',
  'json',
  '',
  ';;;',
] as const;

/** Path parameter segments as sent on the wire (already encoded where encoding is meant). */
export const hostilePathSegments = ['..', '.', '%2e%2e', '..%2f..%2fetc', '%00', 'a%00b', '%F0%9F%A7%B9', '%E2%80%AE', '%ZZ', '%', '%C0%AF', '%ED%A0%80', encodeURIComponent('🧹街道')] as const;
