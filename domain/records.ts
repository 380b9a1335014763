import type { Actor } from './policy';

/**
 * Stored records are plain JSON-like data. What building and comparing them needs in every
 * module: who and when stamps a change, absent optional fields left out, structural equality.
 */

/** Who makes a change and when; the instant comes from the caller's clock (STYLE habit 2). */
export interface Stamp {
  readonly actor: Actor;
  readonly at: Date;
}

/**
 * A shallow copy without the properties whose value is `undefined`, so a record never stores
 * an absent optional field as a key (two equal records compare and serialise alike).
 */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Structural equality of JSON-like values: key order does not matter and an absent property
 * equals an undefined one (what a stored record and a parsed input agree on).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}
