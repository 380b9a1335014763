import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  StaleVersionError,
  ValidationError,
} from '../../../../domain/errors';
import type { Actor } from '../../../../domain/policy';
import { segmentIdFor } from '../../../../domain/segments/identity';
import { ImportSegmentsInput } from '../../../../domain/segments/import';
import type { CreateSegmentInput, Segment } from '../../../../domain/segments/schema';
import {
  createSegment,
  getSegment,
  importSegments,
  listSegments,
  retireSegment,
  segmentHistory,
  updateSegment,
  type SegmentDeps,
} from '../../../../domain/segments/use-cases';
import {
  actorWith,
  centuryAvenue,
  contractorUser,
  FixedClock,
  financeUser,
  InMemorySegmentStore,
  inspectorUser,
  nanjingEastRoad,
  peoplesSquare,
  procurementOfficer,
  SequentialIds,
  tenantId,
} from '../../../helpers/fakes';

let store: InMemorySegmentStore;
let clock: FixedClock;
let ids: SequentialIds;
let deps: SegmentDeps;

beforeEach(() => {
  store = new InMemorySegmentStore();
  clock = new FixedClock('2025-03-12T08:30:00.000Z');
  ids = new SequentialIds();
  deps = { segments: store, clock, ids };
});

const nanjingInput: CreateSegmentInput = {
  externalId: 'HP-NJDL-001',
  name: '南京东路(西藏中路—中山东一路)',
  street: '南京东路街道',
  grid: 'HP-07',
  grade: 'primary',
  flags: ['strict'],
  widthM: 28,
  geometry: nanjingEastRoad,
};

const squareInput: CreateSegmentInput = {
  name: '人民广场',
  street: '南京东路街道',
  grade: 'branch',
  geometry: peoplesSquare,
};

/** Error `promise` rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('createSegment', () => {
  it('derives the id from the external id, without drawing a generated id', async () => {
    // Act
    const segment = await createSegment(deps, procurementOfficer, nanjingInput);

    // Assess
    expect(segment.segmentId).toBe(segmentIdFor(tenantId, 'HP-NJDL-001'));
    expect(segment.segmentId).toMatch(/^seg_[a-z2-7]{16}$/);
    expect(ids.issued).toBe(0);
  });

  it('derives the same id for the same external id on another day, by another user', async () => {
    // Prepare
    const first = await createSegment(deps, procurementOfficer, nanjingInput);
    const elsewhere: SegmentDeps = { segments: new InMemorySegmentStore(), clock: new FixedClock('2026-01-05T00:00:00.000Z'), ids: new SequentialIds('01KB00000Z') };

    // Act
    const second = await createSegment(elsewhere, actorWith({ userId: 'u-admin-02', roles: ['admin'] }), nanjingInput);

    // Assess
    expect(second.segmentId).toBe(first.segmentId);
  });

  it('takes the id from the id generator when there is no external id', async () => {
    // Act
    const segment = await createSegment(deps, procurementOfficer, squareInput);

    // Assess
    expect(segment.segmentId).toBe('seg_01jpz8x4k90000000000000001');
    expect(ids.issued).toBe(1);
  });

  it('stores version 1, stamped by the clock and the caller', async () => {
    // Act
    const segment = await createSegment(deps, procurementOfficer, nanjingInput);

    // Assess
    expect(await store.get(tenantId, segment.segmentId)).toEqual(segment);
    expect(segment).toMatchObject({ version: 1, status: 'active', createdAt: '2025-03-12T08:30:00.000Z', createdBy: 'u-procurement-01' });
  });

  it('normalizes the input: flags sorted, name trimmed', async () => {
    // Act
    const segment = await createSegment(deps, procurementOfficer, { ...nanjingInput, name: '  南京东路  ', flags: ['strict', 'controlled'] });

    // Assess
    expect(segment.name).toBe('南京东路');
    expect(segment.flags).toEqual(['controlled', 'strict']);
  });

  it('refuses input that breaks the schema with a ValidationError (a domain error), not a raw ZodError', async () => {
    // Prepare: latitude and longitude swapped, as a GIS export in the wrong axis order gives.
    const swapped: CreateSegmentInput = { ...nanjingInput, geometry: { type: 'LineString', coordinates: [[31.2353, 121.4752], [31.241, 121.4906]] } };

    // Act
    const error = await rejectionOf(createSegment(deps, procurementOfficer, swapped));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(store.writes).toHaveLength(0);
  });

  it('refuses a second segment with the same external id with ConflictError pointing to PATCH', async () => {
    // Prepare
    const first = await createSegment(deps, procurementOfficer, nanjingInput);

    // Act
    const error = await rejectionOf(createSegment(deps, procurementOfficer, { ...nanjingInput, name: '南京东路(重复)' }));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(`a segment with external id 'HP-NJDL-001' already exists (${first.segmentId}); change it with PATCH`);
    expect((error as Error).cause).toBeInstanceOf(ConflictError);
    expect((await store.get(tenantId, first.segmentId))?.name).toBe(nanjingInput.name);
  });

  it('lets two tenants use the same external id', async () => {
    // Prepare
    await createSegment(deps, procurementOfficer, nanjingInput);

    // Act
    const other = await createSegment(deps, actorWith({ tenantId: 'pudong' }), nanjingInput);

    // Assess
    expect(other.tenantId).toBe('pudong');
    expect(store.segmentsOf('pudong')).toHaveLength(1);
  });

  it.each([
    ['contractor', contractorUser],
    ['inspector', inspectorUser],
    ['finance', financeUser],
  ])('refuses a %s with ForbiddenError and writes nothing', async (_role, actor: Actor) => {
    // Act
    const error = await rejectionOf(createSegment(deps, actor, nanjingInput));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(store.writes).toHaveLength(0);
  });

  it('refuses a road without width or area with a ValidationError naming the width', async () => {
    // Prepare
    const { widthM: _width, ...withoutWidth } = nanjingInput;

    // Act
    const error = await rejectionOf(createSegment(deps, procurementOfficer, withoutWidth));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path).join()).toMatch(/widthM$/);
    expect(store.writes).toHaveLength(0);
  });
});

describe('getSegment and listSegments', () => {
  it('lets a contractor read a segment of its tenant', async () => {
    // Prepare
    const created = await createSegment(deps, procurementOfficer, nanjingInput);

    // Act
    const found = await getSegment(deps, contractorUser, created.segmentId);

    // Assess
    expect(found).toEqual(created);
  });

  it('answers NotFoundError for an unknown id', async () => {
    // Act
    const error = await rejectionOf(getSegment(deps, procurementOfficer, 'seg_doesnotexist00'));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe("segment 'seg_doesnotexist00' does not exist");
  });

  it('does not show another tenant\'s segment', async () => {
    // Prepare
    const created = await createSegment(deps, procurementOfficer, nanjingInput);

    // Act
    const error = await rejectionOf(getSegment(deps, actorWith({ tenantId: 'pudong' }), created.segmentId));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('refuses an actor without roles', async () => {
    // Prepare
    const created = await createSegment(deps, procurementOfficer, nanjingInput);

    // Act
    const error = await rejectionOf(getSegment(deps, actorWith({ roles: [] }), created.segmentId));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it('lists the caller\'s tenant only, with the filter', async () => {
    // Prepare
    await createSegment(deps, procurementOfficer, nanjingInput);
    await createSegment(deps, procurementOfficer, squareInput);
    await createSegment(deps, actorWith({ tenantId: 'pudong' }), { ...nanjingInput, geometry: centuryAvenue });

    // Act
    const page = await listSegments(deps, inspectorUser, { status: 'active', grade: 'primary' }, { limit: 10 });

    // Assess
    expect(page.items.map((segment) => [segment.tenantId, segment.externalId])).toEqual([[tenantId, 'HP-NJDL-001']]);
  });
});

describe('updateSegment', () => {
  let created: Segment;

  beforeEach(async () => {
    created = await createSegment(deps, procurementOfficer, nanjingInput);
    clock.set('2025-04-01T02:00:00.000Z');
  });

  it('stores the change as version 2 stamped by the clock', async () => {
    // Act
    const next = await updateSegment(deps, procurementOfficer, created.segmentId, 1, { name: '南京东路步行街' });

    // Assess
    expect(next).toMatchObject({ name: '南京东路步行街', version: 2, updatedAt: '2025-04-01T02:00:00.000Z' });
    expect(await store.get(tenantId, created.segmentId)).toEqual(next);
  });

  it('refuses a stale version with StaleVersionError naming both versions, writing nothing', async () => {
    // Prepare
    await updateSegment(deps, procurementOfficer, created.segmentId, 1, { name: '南京东路步行街' });
    const writesBefore = store.writes.length;

    // Act
    const error = await rejectionOf(updateSegment(deps, procurementOfficer, created.segmentId, 1, { grade: 'secondary' }));

    // Assess
    expect(error).toBeInstanceOf(StaleVersionError);
    expect(error).toMatchObject({ expected: 1, actual: 2 });
    expect(store.writes).toHaveLength(writesBefore);
  });

  it('recomputes length and area when the geometry changes', async () => {
    // Act
    const next = await updateSegment(deps, procurementOfficer, created.segmentId, 1, { geometry: centuryAvenue });

    // Assess
    expect(next.lengthM).toBeGreaterThan(created.lengthM * 2);
    expect(next.areaM2).toBe(next.lengthM * 28);
  });

  it('keeps length and area when the change does not touch the shape', async () => {
    // Act
    const next = await updateSegment(deps, procurementOfficer, created.segmentId, 1, { flags: ['controlled'] });

    // Assess
    expect(next).toMatchObject({ lengthM: created.lengthM, areaM2: created.areaM2, flags: ['controlled'] });
  });

  it('refuses a change to a retired segment with ConflictError', async () => {
    // Prepare
    await retireSegment(deps, procurementOfficer, created.segmentId, 1, { reason: '道路拆除' });

    // Act
    const error = await rejectionOf(updateSegment(deps, procurementOfficer, created.segmentId, 2, { name: '复建' }));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain('retired');
  });

  it('answers NotFoundError for an unknown segment', async () => {
    // Act
    const error = await rejectionOf(updateSegment(deps, procurementOfficer, 'seg_doesnotexist00', 1, { name: 'x' }));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('refuses a contractor with ForbiddenError before reading the store', async () => {
    // Prepare
    const readsBefore = store.calls.get;

    // Act
    const error = await rejectionOf(updateSegment(deps, contractorUser, created.segmentId, 1, { name: 'x' }));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(store.calls.get).toBe(readsBefore);
  });
});

describe('retireSegment', () => {
  let created: Segment;

  beforeEach(async () => {
    created = await createSegment(deps, procurementOfficer, nanjingInput);
    clock.set('2025-05-20T00:00:00.000Z');
  });

  it('retires with the reason at the clock\'s instant', async () => {
    // Act
    const retired = await retireSegment(deps, procurementOfficer, created.segmentId, 1, { reason: '道路拆除' });

    // Assess
    expect(retired).toMatchObject({ status: 'retired', retiredReason: '道路拆除', retiredAt: '2025-05-20T00:00:00.000Z', version: 2 });
  });

  it('refuses to retire twice with ConflictError naming the first retirement', async () => {
    // Prepare
    await retireSegment(deps, procurementOfficer, created.segmentId, 1, { reason: '道路拆除' });

    // Act
    const error = await rejectionOf(retireSegment(deps, procurementOfficer, created.segmentId, 2, { reason: '再次' }));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain('2025-05-20T00:00:00.000Z');
  });

  it('refuses a stale version with StaleVersionError', async () => {
    // Prepare
    await updateSegment(deps, procurementOfficer, created.segmentId, 1, { name: '南京东路步行街' });

    // Act
    const error = await rejectionOf(retireSegment(deps, procurementOfficer, created.segmentId, 1, { reason: '道路拆除' }));

    // Assess
    expect(error).toBeInstanceOf(StaleVersionError);
  });

  it('refuses a contractor with ForbiddenError and writes nothing', async () => {
    // Prepare
    const writesBefore = store.writes.length;

    // Act
    const error = await rejectionOf(retireSegment(deps, contractorUser, created.segmentId, 1, { reason: '道路拆除' }));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(store.writes).toHaveLength(writesBefore);
  });
});

describe('segmentHistory', () => {
  let created: Segment;

  beforeEach(async () => {
    created = await createSegment(deps, procurementOfficer, nanjingInput);
    clock.advance(60_000);
    await updateSegment(deps, procurementOfficer, created.segmentId, 1, { name: '南京东路步行街' });
    clock.advance(60_000);
    await updateSegment(deps, procurementOfficer, created.segmentId, 2, { widthM: 30 });
    clock.advance(60_000);
    await retireSegment(deps, procurementOfficer, created.segmentId, 3, { reason: '道路拆除' });
  });

  it('lists every version newest first', async () => {
    // Act
    const page = await segmentHistory(deps, inspectorUser, created.segmentId, { limit: 10 });

    // Assess
    expect(page.items.map((segment) => [segment.version, segment.status])).toEqual([
      [4, 'retired'],
      [3, 'active'],
      [2, 'active'],
      [1, 'active'],
    ]);
    expect(page.items.map((segment) => segment.updatedAt)).toEqual([
      '2025-03-12T08:33:00.000Z',
      '2025-03-12T08:32:00.000Z',
      '2025-03-12T08:31:00.000Z',
      '2025-03-12T08:30:00.000Z',
    ]);
  });

  it('pages through the versions with the cursor', async () => {
    // Act
    const first = await segmentHistory(deps, inspectorUser, created.segmentId, { limit: 3 });
    const second = await segmentHistory(deps, inspectorUser, created.segmentId, { limit: 3, cursor: first.nextCursor! });

    // Assess
    expect(first.items.map((segment) => segment.version)).toEqual([4, 3, 2]);
    expect(second.items.map((segment) => segment.version)).toEqual([1]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('answers NotFoundError for an unknown segment', async () => {
    // Act
    const error = await rejectionOf(segmentHistory(deps, inspectorUser, 'seg_doesnotexist00', { limit: 10 }));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe('importSegments', () => {
  type Feature = { type: 'Feature'; properties: Record<string, unknown>; geometry: unknown };

  const njdl: Feature = {
    type: 'Feature',
    properties: { id: 'HP-NJDL-001', name: '南京东路(西藏中路—中山东一路)', street: '南京东路街道', grid: 'HP-07', grade: '主干道', flags: '严禁路', width: 28 },
    geometry: nanjingEastRoad,
  };
  const square: Feature = {
    type: 'Feature',
    properties: { id: 'HP-RMGC-001', name: '人民广场', street: '南京东路街道', grade: '支路' },
    geometry: peoplesSquare,
  };
  const century: Feature = {
    type: 'Feature',
    properties: { id: 'PD-SJDD-001', name: '世纪大道', street: '陆家嘴街道', grade: 'primary', flags: '严控路', width: '100m' },
    geometry: centuryAvenue,
  };

  function fileOf(...features: Feature[]): ImportSegmentsInput {
    return ImportSegmentsInput.parse({ featureCollection: { type: 'FeatureCollection', features } });
  }

  it('creates every feature of a first import, with ids derived from the external ids', async () => {
    // Act
    const result = await importSegments(deps, procurementOfficer, fileOf(njdl, square, century));

    // Assess
    expect(result).toMatchObject({ featureCount: 3, created: 3, updated: 0, unchanged: 0 });
    expect(result.segments).toEqual([
      { index: 0, externalId: 'HP-NJDL-001', segmentId: segmentIdFor(tenantId, 'HP-NJDL-001'), outcome: 'created' },
      { index: 1, externalId: 'HP-RMGC-001', segmentId: segmentIdFor(tenantId, 'HP-RMGC-001'), outcome: 'created' },
      { index: 2, externalId: 'PD-SJDD-001', segmentId: segmentIdFor(tenantId, 'PD-SJDD-001'), outcome: 'created' },
    ]);
  });

  it('stores the mapped fields: Chinese grade and flag names, width with a unit', async () => {
    // Act
    await importSegments(deps, procurementOfficer, fileOf(njdl, century));

    // Assess
    const stored = await store.get(tenantId, segmentIdFor(tenantId, 'PD-SJDD-001'));
    expect(stored).toMatchObject({ grade: 'primary', flags: ['controlled'], widthM: 100, version: 1, status: 'active', createdBy: 'u-procurement-01' });
    expect((await store.get(tenantId, segmentIdFor(tenantId, 'HP-NJDL-001')))?.flags).toEqual(['strict']);
  });

  it('reports a re-import of the same file as unchanged and writes nothing', async () => {
    // Prepare
    await importSegments(deps, procurementOfficer, fileOf(njdl, square, century));
    const writesBefore = store.writes.length;

    // Act
    const result = await importSegments(deps, procurementOfficer, fileOf(njdl, square, century));

    // Assess
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(store.writes).toHaveLength(writesBefore);
  });

  it('updates only the features that changed, as version 2', async () => {
    // Prepare
    await importSegments(deps, procurementOfficer, fileOf(njdl, square, century));
    const renamed: Feature = { ...square, properties: { ...square.properties, name: '人民广场(东区)' } };

    // Act
    const result = await importSegments(deps, procurementOfficer, fileOf(njdl, renamed, century));

    // Assess
    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    expect(await store.get(tenantId, segmentIdFor(tenantId, 'HP-RMGC-001'))).toMatchObject({ name: '人民广场(东区)', version: 2 });
  });

  it('counts created, updated and unchanged in one import', async () => {
    // Prepare
    await importSegments(deps, procurementOfficer, fileOf(njdl, square));
    const widened: Feature = { ...njdl, properties: { ...njdl.properties, width: 30 } };

    // Act
    const result = await importSegments(deps, procurementOfficer, fileOf(widened, square, century));

    // Assess
    expect(result).toMatchObject({ featureCount: 3, created: 1, updated: 1, unchanged: 1 });
    expect(result.segments.map((segment) => segment.outcome)).toEqual(['updated', 'unchanged', 'created']);
  });

  it('updates a segment created by hand with the same external id instead of duplicating it', async () => {
    // Prepare
    const byHand = await createSegment(deps, procurementOfficer, { ...nanjingInput, name: '南京东路' });

    // Act
    const result = await importSegments(deps, procurementOfficer, fileOf(njdl));

    // Assess
    expect(result.segments).toEqual([{ index: 0, externalId: 'HP-NJDL-001', segmentId: byHand.segmentId, outcome: 'updated' }]);
    expect(store.segmentsOf(tenantId)).toHaveLength(1);
  });

  it('brings a retired segment back as updated and active', async () => {
    // Prepare
    await importSegments(deps, procurementOfficer, fileOf(square));
    const id = segmentIdFor(tenantId, 'HP-RMGC-001');
    await retireSegment(deps, procurementOfficer, id, 1, { reason: '改造施工' });

    // Act
    const result = await importSegments(deps, procurementOfficer, fileOf(square));

    // Assess
    expect(result).toMatchObject({ updated: 1, unchanged: 0 });
    const stored = await store.get(tenantId, id);
    expect(stored).toMatchObject({ status: 'active', version: 3 });
    expect(stored).not.toHaveProperty('retiredAt');
  });

  it('converges: after a feature loses a property, a second run of the same file changes nothing', async () => {
    // Prepare: the district GIS dropped the grid of Nanjing East Road.
    await importSegments(deps, procurementOfficer, fileOf(njdl));
    const { grid: _grid, ...withoutGrid } = njdl.properties;
    const regridded: Feature = { ...njdl, properties: withoutGrid };
    await importSegments(deps, procurementOfficer, fileOf(regridded));

    // Act
    const rerun = await importSegments(deps, procurementOfficer, fileOf(regridded));

    // Assess
    expect(rerun).toMatchObject({ updated: 0, unchanged: 1 });
    expect(await store.get(tenantId, segmentIdFor(tenantId, 'HP-NJDL-001'))).not.toHaveProperty('grid');
  });

  it('refuses the whole file when one feature is invalid, naming it, and writes nothing', async () => {
    // Prepare
    const broken: Feature = { ...century, properties: { ...century.properties, grade: 'motorway' } };

    // Act
    const error = await rejectionOf(importSegments(deps, procurementOfficer, fileOf(njdl, broken)));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['featureCollection.features.1.properties.grade']);
    expect(store.writes).toHaveLength(0);
  });

  it('lets a store failure through, unchanged', async () => {
    // Prepare
    const failure = new Error('TransactionConflict');
    store.faults.failNextSaveMany = failure;

    // Act
    const error = await rejectionOf(importSegments(deps, procurementOfficer, fileOf(njdl)));

    // Assess
    expect(error).toBe(failure);
  });

  it('refuses a contractor with ForbiddenError before reading anything', async () => {
    // Act
    const error = await rejectionOf(importSegments(deps, contractorUser, fileOf(njdl)));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(store.calls.getMany).toBe(0);
  });
});
