import { ConflictError, StaleVersionError, ValidationError } from '../../domain/errors';
import type { Actor } from '../../domain/policy';
import type {
  Clock,
  IdGenerator,
  Page,
  PageRequest,
  SegmentFilter,
  SegmentStore,
  SegmentWrite,
} from '../../domain/ports';
import type { Segment, SegmentGeometry } from '../../domain/segments/schema';

/**
 * Test doubles for domain unit tests: an in-memory SegmentStore with the port's semantics
 * (conditional writes, newest-first history, filtered pages with opaque cursors), a clock
 * that only moves when told, a sequential id generator, and Shanghai segment fixtures.
 */

/** A clock fixed at `start` until the test moves it. */
export class FixedClock implements Clock {
  private current: Date;

  constructor(start = '2025-03-12T08:30:00.000Z') {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(instant: string): void {
    this.current = new Date(instant);
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

/**
 * ULIDs in issue order: a fixed 10-character time part and a 16-digit counter, so the n-th id
 * is predictable (`01JPZ8X4K90000000000000001`, ...) and valid Crockford base32.
 */
export class SequentialIds implements IdGenerator {
  private counter = 0;

  constructor(private readonly timePart = '01JPZ8X4K9') {}

  next(): string {
    this.counter += 1;
    return `${this.timePart}${String(this.counter).padStart(16, '0')}`;
  }

  /** How many ids were handed out. */
  get issued(): number {
    return this.counter;
  }
}

/** Options that make the fake fail like a real store would. */
export interface FakeStoreFaults {
  /** Throws this from the next `saveMany` call before writing anything. */
  failNextSaveMany?: Error;
}

/**
 * An in-memory SegmentStore. Writes are conditional exactly as the port states; `saveMany`
 * writes everything or nothing (one chunk). Records are copied in and out so a caller that
 * mutates a returned object cannot change what is stored.
 */
export class InMemorySegmentStore implements SegmentStore {
  /** Current state, by tenant then segment id. */
  private readonly current = new Map<string, Map<string, Segment>>();
  /** Every version, by tenant and segment id, oldest first. */
  private readonly versions = new Map<string, Segment[]>();
  /** Every accepted write, in order, for tests that check what was (not) written. */
  readonly writes: SegmentWrite[] = [];
  /** How many times each method was called. */
  readonly calls = { get: 0, getMany: 0, list: 0, history: 0, save: 0, saveMany: 0 };
  readonly faults: FakeStoreFaults = {};

  /** Puts segments in place without conditions or write log (test setup). */
  seed(...segments: Segment[]): void {
    for (const segment of segments) this.store(segment);
  }

  async get(tenantId: string, segmentId: string): Promise<Segment | undefined> {
    this.calls.get += 1;
    const found = this.tenant(tenantId).get(segmentId);
    return found === undefined ? undefined : structuredClone(found);
  }

  async getMany(tenantId: string, segmentIds: readonly string[]): Promise<ReadonlyMap<string, Segment>> {
    this.calls.getMany += 1;
    const found = new Map<string, Segment>();
    for (const id of segmentIds) {
      const segment = this.tenant(tenantId).get(id);
      if (segment !== undefined) found.set(id, structuredClone(segment));
    }
    return found;
  }

  async list(tenantId: string, filter: SegmentFilter, page: PageRequest): Promise<Page<Segment>> {
    this.calls.list += 1;
    const all = [...this.tenant(tenantId).values()]
      .filter((segment) => filter.status === 'all' || segment.status === filter.status)
      .filter((segment) => filter.street === undefined || segment.street === filter.street)
      .filter((segment) => filter.grade === undefined || segment.grade === filter.grade)
      .filter((segment) => filter.flag === undefined || segment.flags.includes(filter.flag))
      .sort((a, b) => (a.segmentId < b.segmentId ? -1 : a.segmentId > b.segmentId ? 1 : 0));
    const after = decodeFakeCursor(page.cursor, `list:${tenantId}`);
    const rest = after === undefined ? all : all.filter((segment) => segment.segmentId > after);
    return pageOf(rest, page.limit, `list:${tenantId}`, (segment) => segment.segmentId);
  }

  async history(tenantId: string, segmentId: string, page: PageRequest): Promise<Page<Segment>> {
    this.calls.history += 1;
    const newestFirst = [...(this.versions.get(versionKey(tenantId, segmentId)) ?? [])].reverse();
    const scope = `history:${tenantId}:${segmentId}`;
    const after = decodeFakeCursor(page.cursor, scope);
    const rest = after === undefined ? newestFirst : newestFirst.filter((segment) => segment.version < Number(after));
    return pageOf(rest, page.limit, scope, (segment) => String(segment.version));
  }

  async save(write: SegmentWrite): Promise<void> {
    this.calls.save += 1;
    this.check(write);
    this.apply(write);
  }

  async saveMany(writes: readonly SegmentWrite[]): Promise<void> {
    this.calls.saveMany += 1;
    const fault = this.faults.failNextSaveMany;
    if (fault !== undefined) {
      delete this.faults.failNextSaveMany;
      throw fault;
    }
    for (const write of writes) this.check(write);
    for (const write of writes) this.apply(write);
  }

  /** Every stored current record of a tenant (no call counted). */
  segmentsOf(tenantId: string): Segment[] {
    return [...this.tenant(tenantId).values()].map((segment) => structuredClone(segment));
  }

  private check({ segment, expectedVersion }: SegmentWrite): void {
    const existing = this.tenant(segment.tenantId).get(segment.segmentId);
    if (expectedVersion === undefined) {
      if (existing !== undefined) throw new ConflictError(`segment '${segment.segmentId}' already exists`);
      return;
    }
    if (existing === undefined || existing.version !== expectedVersion) {
      throw new StaleVersionError('segment', segment.segmentId, expectedVersion, existing?.version);
    }
  }

  private apply(write: SegmentWrite): void {
    this.writes.push(structuredClone(write));
    this.store(write.segment);
  }

  private store(segment: Segment): void {
    const copy = structuredClone(segment);
    this.tenant(segment.tenantId).set(segment.segmentId, copy);
    const key = versionKey(segment.tenantId, segment.segmentId);
    this.versions.set(key, [...(this.versions.get(key) ?? []), structuredClone(segment)]);
  }

  private tenant(tenantId: string): Map<string, Segment> {
    let segments = this.current.get(tenantId);
    if (segments === undefined) {
      segments = new Map();
      this.current.set(tenantId, segments);
    }
    return segments;
  }
}

function versionKey(tenantId: string, segmentId: string): string {
  return `${tenantId}\u0000${segmentId}`;
}

function pageOf(items: readonly Segment[], limit: number, scope: string, position: (segment: Segment) => string): Page<Segment> {
  const taken = items.slice(0, limit).map((segment) => structuredClone(segment));
  const last = taken[taken.length - 1];
  return items.length > limit && last !== undefined
    ? { items: taken, nextCursor: Buffer.from(JSON.stringify({ scope, after: position(last) })).toString('base64url') }
    : { items: taken };
}

function decodeFakeCursor(cursor: string | undefined, scope: string): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { scope?: unknown; after?: unknown };
    if (decoded.scope === scope && typeof decoded.after === 'string') return decoded.after;
  } catch {
    // falls through to the refusal below
  }
  throw new ValidationError('the cursor is not valid for this list', [{ path: 'query.cursor', message: 'use the nextCursor of this list' }]);
}

/* ---------------------------------------------------------------- actors ---- */

/** 黄浦区: Nanjing East Road and People's Square lie in it. */
export const tenantId = 'huangpu';

export function actorWith(overrides: Partial<Actor> = {}): Actor {
  return { userId: 'u-procurement-01', tenantId, roles: ['procurement'], ...overrides };
}

export const procurementOfficer: Actor = actorWith();
export const adminUser: Actor = actorWith({ userId: 'u-admin-01', roles: ['admin'] });
export const inspectorUser: Actor = actorWith({ userId: 'u-inspector-01', roles: ['inspector'] });
export const financeUser: Actor = actorWith({ userId: 'u-finance-01', roles: ['finance'] });
export const contractorUser: Actor = actorWith({ userId: 'u-contractor-01', roles: ['contractor'], contractorId: 'ctr_huanwei01' });

/* --------------------------------------------------- Shanghai geometries ---- */

/** 南京东路, People's Square to the Bund (WGS84), about 1.5 km. */
export const nanjingEastRoad: SegmentGeometry = {
  type: 'LineString',
  coordinates: [
    [121.4752, 31.2353],
    [121.4803, 31.2372],
    [121.4851, 31.2389],
    [121.4906, 31.2410],
  ],
};

/** 世纪大道, Lujiazui to Century Park, about 4 km. */
export const centuryAvenue: SegmentGeometry = {
  type: 'LineString',
  coordinates: [
    [121.5033, 31.2386],
    [121.5212, 31.2318],
    [121.5437, 31.2231],
  ],
};

/** A block of 人民广场 (People's Square) as a closed ring. */
export const peoplesSquare: SegmentGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [121.4716, 31.2317],
      [121.4773, 31.2317],
      [121.4773, 31.2355],
      [121.4716, 31.2355],
      [121.4716, 31.2317],
    ],
  ],
};

/**
 * A long winding line of `positions` vertices across Pudong (7 decimals, as GIS exports
 * carry), for tests about item and transaction sizes.
 */
export function windingPudongLine(positions: number, seed = 0): SegmentGeometry {
  const coordinates: [number, number][] = [];
  for (let i = 0; i < positions; i += 1) {
    const lon = 121.5 + (0.1 * i) / positions + seed * 1e-7;
    const lat = 31.2 + 0.01 * Math.sin(i / 25) + 0.0000001 * (i % 7);
    coordinates.push([Number(lon.toFixed(7)), Number(lat.toFixed(7))]);
  }
  return { type: 'LineString', coordinates };
}

/** A stored segment of Pudong's registry (南京东路 unless overridden), version 1. */
export function segmentFixture(overrides: Partial<Segment> = {}): Segment {
  return {
    segmentId: 'seg_k3v5q2ztb4xw7n6a',
    tenantId,
    externalId: 'HP-NJDL-001',
    name: '南京东路(西藏中路—中山东一路)',
    street: '南京东路街道',
    grid: 'HP-07',
    grade: 'primary',
    flags: ['strict'],
    widthM: 28,
    lengthM: 1560,
    areaM2: 43680,
    geometry: nanjingEastRoad,
    status: 'active',
    version: 1,
    createdAt: '2025-03-01T01:00:00.000Z',
    createdBy: 'u-procurement-01',
    updatedAt: '2025-03-01T01:00:00.000Z',
    updatedBy: 'u-procurement-01',
    ...overrides,
  };
}
