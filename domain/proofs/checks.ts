import { DateTime } from 'luxon';
import type { SegmentGeometry } from '../segments/schema';
import { distanceBetweenM, distanceToGeometryM } from './distance';
import type { ProofSubjectKind } from './subjects';

/**
 * Proof acceptance (DESIGN §3 "Proof acceptance"): a pure function of the task, its segment,
 * the claim and the evidence items already read. It reports every failed check at once, each
 * with its numbers, so a crew learns everything wrong from one refusal.
 *
 * Readings of the rule, stated once here:
 * - Window: accepted when windowStart ≤ capturedAt ≤ windowEnd + grace. Grace widens the END
 *   only: DESIGN's "missed" rule closes a task at "window plus grace", the issue's message
 *   reads "window 04:30–07:00 + 30 min", and work done before the window opens is not the
 *   scheduled work (a night sweep before 04:30 does not clean the morning's litter). Both
 *   bounds are inclusive.
 * - Geofence: limit = max(50 m, widthM / 2 + 30 m) (widthM absent → 50 m). Distance from the
 *   claimed point to the geometry (see ./distance). Accuracy: a fix coarser than 100 m is
 *   refused outright ("GPS fix too coarse"); otherwise the fix's accuracy (the phone's 68 %
 *   radius) is credited up to 30 m: accepted when distance − min(accuracy, 30 m) ≤ limit.
 *   A phone under trees or between towers honestly reports 20–30 m and may land that far off
 *   the road; the cap keeps a 90 m fix from passing a point 140 m away.
 *   Distances are compared after rounding to the centimetre, which removes float noise at the
 *   boundary and is far below the projection's own error.
 * - Photos: the count is of distinct photos (sha-256) among the submitted items, so the same
 *   picture uploaded twice counts once; it must reach minPhotos.
 * - Each item must be ingested as valid, be the proof's contractor's and this task's, and its
 *   sha-256 must not belong to another proof of the tenant (that proof is named).
 * - EXIF capture time more than 10 min from the claim, or EXIF GPS more than 200 m from the
 *   claimed point, is a flag for the inspector, not a refusal: many phones strip or shift
 *   EXIF, so it cannot decide alone.
 */

export const defaultGraceMinutes = 30;
export const defaultMinPhotos = 2;
export const minGeofenceM = 50;
export const geofenceMarginM = 30;
export const maxAccuracyCreditM = 30;
export const maxAccuracyM = 100;
export const exifTimeToleranceMinutes = 10;
export const exifGpsToleranceM = 200;

export const proofFailureCodes = [
  'outside-window',
  'gps-too-coarse',
  'outside-geofence',
  'too-few-photos',
  'evidence-missing',
  'evidence-refused',
  'evidence-other-contractor',
  'evidence-other-task',
  'evidence-other-subject',
  'photo-reused',
] as const;
export type ProofFailureCode = (typeof proofFailureCodes)[number];

export const proofFlagCodes = ['exif-time-mismatch', 'exif-gps-mismatch'] as const;
export type ProofFlagCode = (typeof proofFlagCodes)[number];

export interface ProofFailure {
  readonly code: ProofFailureCode;
  readonly message: string;
  /** The message in Chinese (zh-CN), with the same numbers. */
  readonly zh?: string;
  readonly evidenceId?: string;
  /** For `photo-reused`: the proof that already holds the photo. */
  readonly otherProofId?: string;
}

export interface ProofFlag {
  readonly code: ProofFlagCode;
  readonly message: string;
  readonly zh?: string;
  readonly evidenceId: string;
}

export interface GpsFix {
  readonly lon: number;
  readonly lat: number;
  /** Radius in metres reported by the phone. */
  readonly accuracyM: number;
}

export interface EvidenceForCheck {
  readonly evidenceId: string;
  readonly status: 'valid' | 'refused';
  readonly contractorId: string;
  readonly taskId: string;
  readonly sha256: string;
  /** Why ingest refused it (status 'refused'), in English and Chinese. */
  readonly refusal?: { readonly message: string; readonly zh?: string };
  readonly exifCapturedAt?: Date;
  readonly exifGps?: { readonly lon: number; readonly lat: number };
}

export interface ProofCheckInput {
  readonly task: {
    readonly taskId: string;
    readonly windowStart: Date;
    readonly windowEnd: Date;
    /** The standard's grace; default 30. */
    readonly graceMinutes?: number;
    /** The activity's minimum; default 2. */
    readonly minPhotos?: number;
    readonly segmentId: string;
  };
  readonly segment: {
    readonly geometry: SegmentGeometry;
    readonly widthM?: number;
    /** Shown in messages; the segment id when absent. */
    readonly name?: string;
  };
  readonly claim: { readonly capturedAt: Date; readonly gps: GpsFix };
  readonly evidence: readonly EvidenceForCheck[];
  /** Ids the claim named that ingest has not recorded (not uploaded, or not yet processed). */
  readonly missingEvidenceIds?: readonly string[];
  readonly contractorId: string;
  /** sha-256 → id of another proof of the tenant that already uses it. */
  readonly usedHashes: ReadonlyMap<string, string>;
  /** The tenant's zone, for the times in messages. */
  readonly zone: string;
}

export interface ProofCheckResult {
  readonly accepted: boolean;
  readonly failures: readonly ProofFailure[];
  readonly flags: readonly ProofFlag[];
  /** The figures behind the geofence decision, for the record and for inspectors. */
  readonly geofence: { readonly distanceM: number; readonly limitM: number; readonly accuracyCreditM: number };
}

/** The geofence radius of a segment: max(50 m, width / 2 + 30 m) (DESIGN §3). */
export function geofenceLimitM(widthM: number | undefined): number {
  return widthM === undefined ? minGeofenceM : Math.max(minGeofenceM, widthM / 2 + geofenceMarginM);
}

const centimetres = (metres: number): number => Math.round(metres * 100) / 100;
const wholeMetres = (metres: number): string => `${Math.round(metres)}`;

/** Checks one proof against DESIGN §3; never throws for data it can judge. */
export function checkProof(input: ProofCheckInput): ProofCheckResult {
  const { task, segment, claim, zone } = input;
  const failures: ProofFailure[] = [];
  const flags: ProofFlag[] = [];

  // Window.
  const grace = task.graceMinutes ?? defaultGraceMinutes;
  const captured = claim.capturedAt.getTime();
  const closes = task.windowEnd.getTime() + grace * 60_000;
  if (captured < task.windowStart.getTime() || captured > closes) {
    const day = DateTime.fromJSDate(task.windowStart, { zone }).toISODate();
    const at = DateTime.fromJSDate(claim.capturedAt, { zone });
    // The date is shown only when it is not the window's day, so the usual message stays short.
    const capturedText = at.toISODate() === day ? at.toFormat('HH:mm') : at.toFormat('yyyy-MM-dd HH:mm');
    const span = `${clock(task.windowStart, zone)}–${clock(task.windowEnd, zone)}`;
    const window = `${span}${grace > 0 ? ` + ${grace} min` : ''}`;
    const windowZh = `${span}${grace > 0 ? ` + ${grace} 分钟` : ''}`;
    failures.push({ code: 'outside-window', message: `captured ${capturedText}, window ${window}`, zh: `拍摄于 ${capturedText}，作业时段 ${windowZh}` });
  }

  // Geofence.
  const label = segment.name ?? task.segmentId;
  const limitM = geofenceLimitM(segment.widthM);
  const distanceM = centimetres(distanceToGeometryM(claim.gps, segment.geometry));
  const accuracyM = claim.gps.accuracyM;
  const accuracyCreditM = Math.min(Math.max(0, accuracyM), maxAccuracyCreditM);
  if (!(accuracyM <= maxAccuracyM)) {
    failures.push({
      code: 'gps-too-coarse',
      message: `GPS fix too coarse: accuracy ${wholeMetres(accuracyM)} m, at most ${maxAccuracyM} m`,
      zh: `GPS 定位精度过低：${wholeMetres(accuracyM)} 米，最多 ${maxAccuracyM} 米`,
    });
  } else if (centimetres(distanceM - accuracyCreditM) > limitM) {
    const credit = accuracyCreditM > 0 ? ` (accuracy ±${wholeMetres(accuracyM)} m, ${wholeMetres(accuracyCreditM)} m credited)` : '';
    const creditZh = accuracyCreditM > 0 ? `，精度 ±${wholeMetres(accuracyM)} 米，已计入 ${wholeMetres(accuracyCreditM)} 米` : '';
    failures.push({
      code: 'outside-geofence',
      message: `GPS ${wholeMetres(distanceM)} m from segment '${label}', limit ${wholeMetres(limitM)} m${credit}`,
      zh: `距路段 ${wholeMetres(distanceM)} 米，限 ${wholeMetres(limitM)} 米（路段 '${label}'${creditZh}）`,
    });
  }

  // Evidence (shared with every subject kind: ./checks evidenceFailures).
  const subject = { kind: 'task' as const, id: task.taskId };
  const items = dedupe(input.evidence).map((item) => ({ ...item, subjectId: item.taskId }));
  failures.push(...evidenceFailures({ subject, contractorId: input.contractorId, evidence: items, missingEvidenceIds: input.missingEvidenceIds ?? [], usedHashes: input.usedHashes }));
  flags.push(...exifFlags(items, claim, zone));

  // Count.
  const minPhotos = task.minPhotos ?? defaultMinPhotos;
  const photos = distinctPhotoCount(items);
  if (photos < minPhotos) {
    failures.push({ code: 'too-few-photos', message: `${photos} photo${photos === 1 ? '' : 's'}, at least ${minPhotos} required`, zh: `${photos} 张照片，至少需要 ${minPhotos} 张` });
  }

  return { accepted: failures.length === 0, failures, flags, geofence: { distanceM, limitM, accuracyCreditM } };
}

function clock(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
}

function dedupe<T extends { readonly evidenceId: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.evidenceId, item])).values()];
}

/** An evidence item as the checks of any subject kind read it. */
export interface EvidenceCheckItem {
  readonly evidenceId: string;
  readonly status: 'valid' | 'refused';
  readonly contractorId: string;
  /** The subject the photo was uploaded for (`tsk_…`, `rec_…`, `wo_…`). */
  readonly subjectId: string;
  readonly sha256: string;
  /** Why ingest refused it, when it did. */
  readonly refusal?: { readonly message: string; readonly zh?: string };
  readonly exifCapturedAt?: Date;
  readonly exifGps?: { readonly lon: number; readonly lat: number };
}

export interface EvidenceFailuresInput {
  /** What the proof is for; a task's items must carry this task id, an order's this order id. */
  readonly subject: { readonly kind: ProofSubjectKind; readonly id: string };
  readonly contractorId: string;
  readonly evidence: readonly EvidenceCheckItem[];
  /** Ids the claim named that no ingested item answers (not uploaded, not yet processed, or another subject's). */
  readonly missingEvidenceIds: readonly string[];
  /** sha-256 → id of another proof of the tenant that already uses it. */
  readonly usedHashes: ReadonlyMap<string, string>;
}

/**
 * The evidence part of proof acceptance (DESIGN §3: "every photo uploaded, of an allowed type
 * and size, and never used by another proof (sha-256)"), for any subject kind (tasks,
 * rectification orders, work orders reuse it): each missing id; each item refused at ingest,
 * uploaded by another contractor, filed under another subject, or whose photo another proof
 * of the tenant holds (that proof is named). Items repeated by id are judged once. The
 * photo count and the EXIF flags are separate (`distinctPhotoCount`, `exifFlags`).
 */
export function evidenceFailures(input: EvidenceFailuresInput): ProofFailure[] {
  const failures: ProofFailure[] = [];
  for (const evidenceId of new Set(input.missingEvidenceIds)) {
    failures.push({ code: 'evidence-missing', evidenceId, message: `photo ${evidenceId} has not been uploaded or is not yet processed`, zh: `照片 ${evidenceId} 尚未上传或尚未处理完` });
  }
  const { subject } = input;
  for (const item of dedupe(input.evidence)) {
    const id = item.evidenceId;
    if (item.status !== 'valid') {
      const why = item.refusal === undefined ? '' : `: ${item.refusal.message}`;
      const whyZh = item.refusal === undefined ? '' : `：${item.refusal.zh ?? item.refusal.message}`;
      failures.push({ code: 'evidence-refused', evidenceId: id, message: `photo ${id} was refused at upload${why}`, zh: `照片 ${id} 上传时被拒${whyZh}` });
    }
    if (item.contractorId !== input.contractorId) {
      failures.push({ code: 'evidence-other-contractor', evidenceId: id, message: `photo ${id} was uploaded by another contractor`, zh: `照片 ${id} 由其他作业单位上传` });
      // Another firm's subject is none of this contractor's business: not named.
      continue;
    }
    if (item.subjectId !== subject.id) {
      failures.push(
        subject.kind === 'task'
          ? { code: 'evidence-other-task', evidenceId: id, message: `photo ${id} was uploaded for task ${item.subjectId}, not ${subject.id}`, zh: `照片 ${id} 是为作业任务 ${item.subjectId} 上传的，不是 ${subject.id}` }
          : { code: 'evidence-other-subject', evidenceId: id, message: `photo ${id} was uploaded for ${item.subjectId}, not ${subject.id}`, zh: `照片 ${id} 是为 ${item.subjectId} 上传的，不是 ${subject.id}` },
      );
    }
    const otherProofId = input.usedHashes.get(item.sha256);
    if (otherProofId !== undefined) {
      failures.push({
        code: 'photo-reused',
        evidenceId: id,
        otherProofId,
        message: `photo ${id} (sha-256 ${item.sha256.slice(0, 12)}…) is already used by proof ${otherProofId}`,
        zh: `照片 ${id}（sha-256 ${item.sha256.slice(0, 12)}…）已被作业凭证 ${otherProofId} 使用`,
      });
    }
  }
  return failures;
}

/** Distinct photos (by sha-256) among the items: the same picture uploaded twice counts once. */
export function distinctPhotoCount(items: readonly { readonly sha256: string }[]): number {
  return new Set(items.map((item) => item.sha256)).size;
}

/**
 * EXIF capture time more than 10 min from the claim, or EXIF GPS more than 200 m from the
 * claimed point: flags for the inspector, never refusals (see the readings at the top).
 */
export function exifFlags(
  items: readonly Pick<EvidenceCheckItem, 'evidenceId' | 'exifCapturedAt' | 'exifGps'>[],
  claim: { readonly capturedAt: Date; readonly gps: { readonly lon: number; readonly lat: number } },
  zone: string,
): ProofFlag[] {
  const flags: ProofFlag[] = [];
  const captured = claim.capturedAt.getTime();
  for (const item of dedupe(items)) {
    if (item.exifCapturedAt !== undefined) {
      const minutes = Math.abs(item.exifCapturedAt.getTime() - captured) / 60_000;
      if (minutes > exifTimeToleranceMinutes) {
        flags.push({
          code: 'exif-time-mismatch',
          evidenceId: item.evidenceId,
          message: `photo ${item.evidenceId} EXIF time ${clock(item.exifCapturedAt, zone)} is ${Math.round(minutes)} min from the claimed ${clock(claim.capturedAt, zone)}, tolerance ${exifTimeToleranceMinutes} min`,
          zh: `照片 ${item.evidenceId} 的 EXIF 时间 ${clock(item.exifCapturedAt, zone)} 与申报的 ${clock(claim.capturedAt, zone)} 相差 ${Math.round(minutes)} 分钟，容差 ${exifTimeToleranceMinutes} 分钟`,
        });
      }
    }
    if (item.exifGps !== undefined) {
      const apartM = distanceBetweenM(claim.gps, item.exifGps);
      if (centimetres(apartM) > exifGpsToleranceM) {
        flags.push({
          code: 'exif-gps-mismatch',
          evidenceId: item.evidenceId,
          message: `photo ${item.evidenceId} EXIF GPS is ${wholeMetres(apartM)} m from the claimed point, tolerance ${exifGpsToleranceM} m`,
          zh: `照片 ${item.evidenceId} 的 EXIF 位置距申报位置 ${wholeMetres(apartM)} 米，容差 ${exifGpsToleranceM} 米`,
        });
      }
    }
  }
  return flags;
}
