import { termsAsOf } from '../contracts/terms';
import type { Contract } from '../contracts/schema';
import { distanceToGeometryM } from '../proofs/distance';
import type { Segment } from '../segments/schema';
import type { ServiceType } from '../service-types';

/**
 * Routing of a citizen complaint (DESIGN §2.3: "routed by geometry"): the nearest active
 * segment within `maxDistanceM` of the reported point, then the active contract holding
 * that segment for the service's type on the tenant-local date of the request.
 *
 * Ties: distances within `tieToleranceM` of the nearest count as equal (a point at the shared
 * end of two segments is equally near both, up to floating-point noise, and GPS cannot tell
 * them apart anyway); among equals the segment with the smallest id wins. That makes the
 * choice deterministic and independent of the order segments are listed in. Segment ids are
 * stable digests of the GIS id, so the same corner always routes to the same segment.
 */

/** How far from a segment a complaint still belongs to it: half a city block. Our choice. */
export const defaultMaxDistanceM = 100;
/** Below a phone's GPS accuracy: nearer differences than this are not evidence. */
export const tieToleranceM = 0.5;

export interface NearestSegment {
  readonly segment: Segment;
  readonly distanceM: number;
}

/**
 * The jurisdiction's reach (issue 13): a located report belongs to the district when some
 * active segment is within `maxDistanceM` of it — the same limit routing uses, so a report
 * inside the reach always finds its segment. Outside it, intake refuses the report with an
 * Open311 error naming the location (a point in another district, or a typo in lat/long)
 * instead of queueing it for procurement. Returns the distance to the nearest active segment
 * when it is beyond the limit, undefined when the point is within reach. A tenant without
 * active segments has no reach: every located report is outside (Infinity).
 */
export function beyondReachM(point: { lon: number; lat: number }, segments: readonly Segment[], maxDistanceM: number = defaultMaxDistanceM): number | undefined {
  let nearest = Number.POSITIVE_INFINITY;
  for (const segment of segments) {
    if (segment.status !== 'active') continue;
    nearest = Math.min(nearest, distanceToGeometryM(point, segment.geometry));
    if (nearest <= maxDistanceM) return undefined;
  }
  return nearest;
}

/** The nearest active segment within `maxDistanceM` (ties as above), or undefined. */
export function nearestSegment(
  point: { lon: number; lat: number },
  segments: readonly Segment[],
  maxDistanceM: number = defaultMaxDistanceM,
): NearestSegment | undefined {
  const near = segments
    .filter((segment) => segment.status === 'active')
    .map((segment) => ({ segment, distanceM: distanceToGeometryM(point, segment.geometry) }))
    .filter((candidate) => candidate.distanceM <= maxDistanceM);
  if (near.length === 0) return undefined;
  const best = Math.min(...near.map((candidate) => candidate.distanceM));
  const tied = near.filter((candidate) => candidate.distanceM <= best + tieToleranceM);
  tied.sort((a, b) => (a.segment.segmentId < b.segment.segmentId ? -1 : a.segment.segmentId > b.segment.segmentId ? 1 : 0));
  return tied[0];
}

/**
 * The active contract of `serviceType` whose terms in force on `localDate` include the
 * segment. The overlap rule allows at most one; should data ever hold two, the smallest
 * contract id wins so the answer stays deterministic.
 */
export function contractFor(
  segmentId: string,
  serviceType: ServiceType,
  localDate: string,
  contracts: readonly Contract[],
): Contract | undefined {
  return contracts
    .filter((contract) => contract.status === 'active' && contract.serviceType === serviceType)
    .filter((contract) => termsAsOf(contract, localDate)?.scope.includes(segmentId) === true)
    .sort((a, b) => (a.contractId < b.contractId ? -1 : 1))[0];
}

export type RouteOutcome =
  | { readonly kind: 'routed'; readonly segmentId: string; readonly distanceM?: number; readonly contract: Contract }
  | { readonly kind: 'unroutable'; readonly reason: UnroutableReason; readonly segmentId?: string };

export const unroutableReasons = ['no_location', 'no_segment_within_distance', 'no_contract'] as const;
export type UnroutableReason = (typeof unroutableReasons)[number];

/**
 * Where a complaint goes: a contract, or the hand-assignment queue with the reason. An
 * address without coordinates is never geocoded here (no geocoder in the district's stack):
 * it waits for procurement.
 */
export function routeComplaint(input: {
  readonly point: { lon: number; lat: number } | undefined;
  readonly serviceType: ServiceType;
  readonly localDate: string;
  readonly segments: readonly Segment[];
  readonly contracts: readonly Contract[];
  readonly maxDistanceM?: number;
}): RouteOutcome {
  if (input.point === undefined) return { kind: 'unroutable', reason: 'no_location' };
  const nearest = nearestSegment(input.point, input.segments, input.maxDistanceM);
  if (nearest === undefined) return { kind: 'unroutable', reason: 'no_segment_within_distance' };
  const contract = contractFor(nearest.segment.segmentId, input.serviceType, input.localDate, input.contracts);
  if (contract === undefined) return { kind: 'unroutable', reason: 'no_contract', segmentId: nearest.segment.segmentId };
  return { kind: 'routed', segmentId: nearest.segment.segmentId, distanceM: nearest.distanceM, contract };
}
