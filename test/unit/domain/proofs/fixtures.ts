import { encodeTaskId } from '../../../../domain/schedule/task-id';
import type { SegmentGeometry } from '../../../../domain/segments/schema';
import type { EvidenceForCheck, ProofCheckInput } from '../../../../domain/proofs/checks';

export const zone = 'Asia/Shanghai';
export const contractId = 'con_01jabcdefghjkmnpqrstvwxyz0';
export const segmentId = 'seg_abcdefghijklmnop';
export const contractorId = 'ctr_abcdefghijklmnop';

/** 2026-11-23 04:30–07:00 in Shanghai (UTC+8). */
export const windowStart = new Date('2026-11-22T20:30:00Z');
export const windowEnd = new Date('2026-11-22T23:00:00Z');
export const taskId = encodeTaskId({ contractId, segmentId, activity: 'sweep', windowStartMs: windowStart.getTime() });
export const otherTaskId = encodeTaskId({ contractId, segmentId, activity: 'sweep', windowStartMs: windowStart.getTime() + 86_400_000 });

const metresPerDegree = (6_371_008.8 * Math.PI) / 180;
export const lat0 = 39.6;
export const lon0 = 109.78;

/** The point `north` metres north and `east` metres east of (lon0 + 0.005, lat0): mid-line of `road`. */
export function at(north: number, east = 0): { lon: number; lat: number } {
  const lat = lat0 + north / metresPerDegree;
  return { lon: lon0 + 0.005 + east / (metresPerDegree * Math.cos((lat * Math.PI) / 180)), lat };
}

/** An east-west road about 860 m long along latitude lat0. */
export const road: SegmentGeometry = { type: 'LineString', coordinates: [[lon0, lat0], [lon0 + 0.01, lat0]] };

export function evidence(id: string, overrides: Partial<EvidenceForCheck> = {}): EvidenceForCheck {
  return { evidenceId: id, status: 'valid', contractorId, taskId, sha256: `${id}`.padEnd(64, '0'), ...overrides };
}

/** A proof that passes every check; tests break one thing at a time. */
export function goodInput(overrides: Partial<ProofCheckInput> = {}): ProofCheckInput {
  return {
    task: { taskId, windowStart, windowEnd, graceMinutes: 30, minPhotos: 2, segmentId },
    segment: { geometry: road, name: 'Ordos Ave 3' },
    claim: { capturedAt: new Date('2026-11-22T22:00:00Z'), gps: { ...at(10), accuracyM: 8 } },
    evidence: [evidence('ev_a'), evidence('ev_b')],
    contractorId,
    usedHashes: new Map(),
    zone,
    ...overrides,
  };
}
