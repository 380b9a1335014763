import { DateTime } from 'luxon';
import { defaultZone } from '../../domain/dates';
import { DynamoTenantDirectory } from '../adapters/dynamodb/task-outcome-store';
import { documentClient } from './clients';
import { env } from './env';

/**
 * Instants as a tenant reads them (issue 13, DESIGN §6): every instant an answer carries is
 * the tenant zone's wall time with its offset (`2026-12-07T14:00:00+08:00` in Asia/Shanghai),
 * whatever form it was stored in. Records keep the instants they were written with (mostly
 * UTC `toISOString()`, which compares as text and sorts in keys); the HTTP stack rewrites
 * each answer once, on the way out (http.ts), so no route can forget a field: due times,
 * deadlines, notices, audit entries and records nested in them alike.
 *
 * An instant is a string that is wholly an ISO 8601 date-time with seconds and an offset
 * (`Z` or `±hh:mm`). Calendar dates (`2026-12-07`), months and local times of day carry no
 * offset and are left alone, as are instants inside longer text (ids, cursors, notes).
 */

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Whether `text` is an instant with its offset, as records and answers write them. */
export function isInstant(text: string): boolean {
  return instantPattern.test(text) && DateTime.fromISO(text, { setZone: true }).isValid;
}

/**
 * The instant in `zone` with the zone's offset, milliseconds only when there are some:
 * `2026-12-07T06:00:00.000Z` → `2026-12-07T14:00:00+08:00`. The same instant: it compares
 * equal as a Date. Text that is no instant is returned unchanged.
 */
export function instantInZone(instant: string, zone: string): string {
  if (!instantPattern.test(instant)) return instant;
  const parsed = DateTime.fromISO(instant, { setZone: true });
  if (!parsed.isValid) return instant;
  const placed = parsed.setZone(zone);
  if (!placed.isValid) throw new RangeError(`cannot place ${instant} in zone '${zone}'`);
  return placed.toISO({ suppressMilliseconds: true }) ?? instant;
}

const maxDepth = 64;

function holdsInstant(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return isInstant(value);
  if (depth > maxDepth || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => holdsInstant(item, depth + 1));
  return Object.values(value).some((item) => holdsInstant(item, depth + 1));
}

/** Whether a JSON value holds an instant anywhere (answers without one need no zone). */
export function holdsInstants(value: unknown): boolean {
  return holdsInstant(value, 0);
}

function placed(value: unknown, zone: string, depth: number): unknown {
  if (typeof value === 'string') return instantInZone(value, zone);
  if (depth > maxDepth || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => placed(item, zone, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = placed(item, zone, depth + 1);
  return out;
}

/**
 * A copy of a JSON value with every instant in it (object values and array items, at any
 * depth; not keys) placed in `zone` by `instantInZone`. The value itself is not changed.
 */
export function instantsInZone<T>(value: T, zone: string): T {
  return placed(value, zone, 0) as T;
}

/** The zone of a tenant (its settings item), Asia/Shanghai when it names none. */
export type TenantZoneReader = (tenantId: string) => Promise<string>;

/**
 * A tenant's zone changes rarely if ever; a container asks again after this long so a
 * change is seen within a minute without a read per answer.
 */
const zoneTtlMs = 60_000;

/** Remembers each tenant's zone for `ttlMs` in front of `read`. */
export function cachedTenantZones(read: TenantZoneReader, now: () => number = Date.now, ttlMs = zoneTtlMs): TenantZoneReader {
  const known = new Map<string, { readonly zone: string; readonly until: number }>();
  return async (tenantId) => {
    const hit = known.get(tenantId);
    if (hit !== undefined && hit.until > now()) return hit.zone;
    const zone = await read(tenantId);
    known.set(tenantId, { zone, until: now() + ttlMs });
    return zone;
  };
}

let reader: TenantZoneReader | undefined;

/**
 * The tenant's zone from the main table (the tenant item's `zone`, as the tenant directory
 * reads it), cached per container.
 */
export function tenantZoneReader(): TenantZoneReader {
  if (reader !== undefined) return reader;
  const tenants = new DynamoTenantDirectory(documentClient(), env.mainTable);
  reader = cachedTenantZones(async (tenantId) => (await tenants.zoneOf(tenantId)) ?? defaultZone);
  return reader;
}
