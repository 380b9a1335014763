import { ConflictError, NotFoundError, StaleVersionError } from '../errors';
import { authorize, type Actor } from '../policy';
import type { Clock, IdGenerator, Page, PageRequest, SegmentFilter, SegmentStore, SegmentWrite } from '../ports';
import { parseInput } from '../validation';
import { newSegmentId, segmentIdFor } from './identity';
import { parseFeatures, planImport, summarizeImport, type ImportSegmentsInput, type ImportSegmentsResult } from './import';
import type { CreateSegmentInput, RetireSegmentInput, Segment, UpdateSegmentInput } from './schema';
import { SegmentFields } from './schema';
import { newSegment, reimportedSegment, retiredSegment, updatedSegment } from './segment';

/** What the segment use cases need from outside. */
export interface SegmentDeps {
  readonly segments: SegmentStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * Registers a segment. With an external id the segment id is derived from it, so a later
 * import of the same GIS feature updates this record instead of duplicating it.
 */
export async function createSegment(deps: SegmentDeps, actor: Actor, input: CreateSegmentInput): Promise<Segment> {
  authorize(actor, 'segment:write');
  const fields = parseInput(SegmentFields, input);
  const segmentId = fields.externalId === undefined ? newSegmentId(deps.ids.next()) : segmentIdFor(actor.tenantId, fields.externalId);
  const segment = newSegment(actor.tenantId, segmentId, fields, { actor, at: deps.clock.now() });
  try {
    await deps.segments.save({ segment, expectedVersion: undefined });
  } catch (error) {
    if (error instanceof ConflictError && fields.externalId !== undefined) {
      throw new ConflictError(`a segment with external id '${fields.externalId}' already exists (${segmentId}); change it with PATCH`, { cause: error });
    }
    throw error;
  }
  return segment;
}

export async function getSegment(deps: SegmentDeps, actor: Actor, segmentId: string): Promise<Segment> {
  authorize(actor, 'segment:read');
  const segment = await deps.segments.get(actor.tenantId, segmentId);
  if (segment === undefined) throw new NotFoundError('segment', segmentId);
  authorize(actor, 'segment:read', segment);
  return segment;
}

export async function listSegments(deps: SegmentDeps, actor: Actor, filter: SegmentFilter, page: PageRequest): Promise<Page<Segment>> {
  authorize(actor, 'segment:read');
  return deps.segments.list(actor.tenantId, filter, page);
}

export async function segmentHistory(deps: SegmentDeps, actor: Actor, segmentId: string, page: PageRequest): Promise<Page<Segment>> {
  await getSegment(deps, actor, segmentId);
  return deps.segments.history(actor.tenantId, segmentId, page);
}

async function current(deps: SegmentDeps, actor: Actor, segmentId: string, expectedVersion: number): Promise<Segment> {
  const segment = await deps.segments.get(actor.tenantId, segmentId);
  if (segment === undefined) throw new NotFoundError('segment', segmentId);
  if (segment.version !== expectedVersion) throw new StaleVersionError('segment', segmentId, expectedVersion, segment.version);
  return segment;
}

export async function updateSegment(
  deps: SegmentDeps,
  actor: Actor,
  segmentId: string,
  expectedVersion: number,
  patch: UpdateSegmentInput,
): Promise<Segment> {
  authorize(actor, 'segment:write');
  const segment = await current(deps, actor, segmentId, expectedVersion);
  if (segment.status === 'retired') throw new ConflictError(`segment '${segmentId}' is retired and cannot change`);
  const next = updatedSegment(segment, patch, { actor, at: deps.clock.now() });
  await deps.segments.save({ segment: next, expectedVersion });
  return next;
}

export async function retireSegment(
  deps: SegmentDeps,
  actor: Actor,
  segmentId: string,
  expectedVersion: number,
  input: RetireSegmentInput,
): Promise<Segment> {
  authorize(actor, 'segment:write');
  const segment = await current(deps, actor, segmentId, expectedVersion);
  if (segment.status === 'retired') throw new ConflictError(`segment '${segmentId}' was already retired on ${segment.retiredAt ?? '?'}`);
  const next = retiredSegment(segment, input.reason, { actor, at: deps.clock.now() });
  await deps.segments.save({ segment: next, expectedVersion });
  return next;
}

/**
 * Imports a FeatureCollection all-or-nothing: every feature is validated first and any
 * invalid one refuses the whole file (ValidationError naming each feature). Writes are
 * conditional on the versions read, in atomic chunks; re-running the same file converges
 * (already written features come back as unchanged), so a retry after a failed chunk
 * completes the import without duplicates.
 */
export async function importSegments(deps: SegmentDeps, actor: Actor, input: ImportSegmentsInput): Promise<ImportSegmentsResult> {
  authorize(actor, 'segment:write');
  const parsed = parseFeatures(input);
  const ids = parsed.map((feature) => segmentIdFor(actor.tenantId, feature.fields.externalId));
  const existing = await deps.segments.getMany(actor.tenantId, ids);
  const plan = planImport(parsed, existing, actor.tenantId);
  const stamp = { actor, at: deps.clock.now() };
  const writes: SegmentWrite[] = [];
  for (const entry of plan) {
    if (entry.outcome === 'created') {
      writes.push({ segment: newSegment(actor.tenantId, entry.segmentId, entry.fields, stamp), expectedVersion: undefined });
    } else if (entry.outcome === 'updated' && entry.previous !== undefined) {
      writes.push({ segment: reimportedSegment(entry.previous, entry.fields, stamp), expectedVersion: entry.previous.version });
    }
  }
  await deps.segments.saveMany(writes);
  return summarizeImport(plan);
}
