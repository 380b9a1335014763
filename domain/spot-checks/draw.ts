import { createHash, createHmac } from 'node:crypto';
import type { RoadGrade, SegmentFlag } from '../segments/schema';
import type { SpotCheckQuota } from '../rulebooks/schema';

/**
 * Verifiable spot-check draws (DESIGN §3 "Spot-check sampling", issue 6): before the month
 * the inspector publishes sha-256(seed); after it starts the seed. The draw is a pure function
 * of the seed, the month, the rulebook's plan and the candidate segments snapshotted at
 * commit, so anyone holding the published record can recompute it with a few lines of code
 * in any language. Nothing here reads a clock or a random source: the seed is injected.
 *
 * ALGORITHM `xiuhua-spot-draw-v1` (normative; changing any step needs a new id):
 *
 * 1. seed: 32 bytes. Published as 64 lower-case hex digits. commitment = lower-case hex of
 *    SHA-256 over the 32 RAW seed bytes (not over the hex text).
 * 2. candidates: the segment records {segmentId, flags, grade, street} snapshotted at commit,
 *    sorted by segmentId in ascending code-unit (byte) order; ids are ASCII `seg_…`.
 * 3. chosen := empty list. For each quota of the plan, in plan order, with its 0-based index q:
 *    a. pool := the candidates in the order of step 2 that match the quota — `flag` null
 *       matches any segment, otherwise the segment's flags contain it; `grade` absent matches
 *       any grade, otherwise equals the segment's grade — and are not already in `chosen`.
 *    b. for i = 0, 1, … while i < quota.count and pool is not empty:
 *       n := pool length; limit := floor(2^32 / n) x n;
 *       for attempt a = 0, 1, 2, …:
 *         mac := HMAC-SHA256(key = the 32 seed bytes, message = UTF-8 of `${month}|${q}|${i}|${a}`),
 *                month as `YYYY-MM`, q, i and a in decimal without padding;
 *         x := the first 4 bytes of mac as an unsigned big-endian 32-bit integer;
 *         if x < limit: j := x mod n, stop; otherwise try the next attempt
 *         (rejection sampling: every index 0..n-1 is exactly equally likely, no modulo bias);
 *       append {quotaIndex: q, segmentId: pool[j]} to chosen and remove pool[j] from pool.
 *    c. if the pool ran out before `count`, the quota is short by the difference (recorded).
 * 4. The selection is `chosen` in the order drawn.
 *
 * A rulebook quota says flag, grade and count; it has no "one community per street" kind (see
 * rulebooks/schema.ts SpotCheckQuota). The cleaning template reads DESIGN's "one community"
 * as one 背街小巷 (grade alley), which this algorithm draws like any other quota; a per-street
 * quota would need a rulebook change first.
 */
export const spotDrawAlgorithm = 'xiuhua-spot-draw-v1';

export const seedBytes = 32;

/** A segment as the draw sees it, frozen at commit. */
export interface DrawCandidate {
  readonly segmentId: string;
  readonly flags: readonly SegmentFlag[];
  readonly grade: RoadGrade;
  readonly street: string;
}

export interface DrawPick {
  readonly quotaIndex: number;
  readonly segmentId: string;
}

export interface DrawResult {
  readonly selection: readonly DrawPick[];
  /** Per quota index, how many the pool could not supply (absent when none). */
  readonly shortfalls: readonly { readonly quotaIndex: number; readonly missing: number }[];
}

export const seedHexPattern = /^[0-9a-f]{64}$/;

function seedBuffer(seedHex: string): Buffer {
  if (!seedHexPattern.test(seedHex)) throw new RangeError('a seed is 64 lower-case hex digits (32 bytes)');
  return Buffer.from(seedHex, 'hex');
}

/** Step 1: lower-case hex SHA-256 of the raw seed bytes. */
export function commitmentOf(seedHex: string): string {
  return createHash('sha256').update(seedBuffer(seedHex)).digest('hex');
}

/** Step 2: the canonical order of the candidates (by id, code-unit order). */
export function canonicalCandidates(candidates: readonly DrawCandidate[]): DrawCandidate[] {
  return [...candidates].sort((a, b) => (a.segmentId < b.segmentId ? -1 : a.segmentId > b.segmentId ? 1 : 0));
}

/** SHA-256 of the canonical candidates' JSON, so a published list can be checked byte for byte. */
export function candidatesDigest(candidates: readonly DrawCandidate[]): string {
  const canonical = canonicalCandidates(candidates).map((c) => ({ segmentId: c.segmentId, flags: [...c.flags].sort(), grade: c.grade, street: c.street }));
  return createHash('sha256').update(JSON.stringify(canonical), 'utf8').digest('hex');
}

function matches(candidate: DrawCandidate, quota: Pick<SpotCheckQuota, 'flag' | 'grade'>): boolean {
  if (quota.flag !== null && !candidate.flags.includes(quota.flag)) return false;
  return quota.grade === undefined || candidate.grade === quota.grade;
}

const twoTo32 = 2 ** 32;

/** Step 3b: an unbiased index in [0, n) from the seed and the draw position. */
export function drawIndex(seed: Buffer, month: string, quotaIndex: number, pick: number, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive integer');
  const limit = Math.floor(twoTo32 / n) * n;
  for (let attempt = 0; ; attempt += 1) {
    const mac = createHmac('sha256', seed).update(`${month}|${quotaIndex}|${pick}|${attempt}`, 'utf8').digest();
    const x = mac.readUInt32BE(0);
    if (x < limit) return x % n;
  }
}

/** The draw (steps 2–4). Deterministic: equal inputs give equal selections. */
export function drawSpotChecks(seedHex: string, month: string, plan: readonly Pick<SpotCheckQuota, 'flag' | 'grade' | 'count'>[], candidates: readonly DrawCandidate[]): DrawResult {
  const seed = seedBuffer(seedHex);
  const ordered = canonicalCandidates(candidates);
  const chosen = new Set<string>();
  const selection: DrawPick[] = [];
  const shortfalls: { quotaIndex: number; missing: number }[] = [];
  plan.forEach((quota, quotaIndex) => {
    const pool = ordered.filter((candidate) => matches(candidate, quota) && !chosen.has(candidate.segmentId)).map((c) => c.segmentId);
    let pick = 0;
    for (; pick < quota.count && pool.length > 0; pick += 1) {
      const j = drawIndex(seed, month, quotaIndex, pick, pool.length);
      const [segmentId] = pool.splice(j, 1) as [string];
      chosen.add(segmentId);
      selection.push({ quotaIndex, segmentId });
    }
    if (pick < quota.count) shortfalls.push({ quotaIndex, missing: quota.count - pick });
  });
  return { selection, shortfalls };
}

/** What a draw publishes (the GET answer's core), enough to verify it from scratch. */
export interface PublishedDraw {
  readonly algorithm: string;
  readonly month: string;
  readonly plan: readonly Pick<SpotCheckQuota, 'flag' | 'grade' | 'count'>[];
  readonly candidates: readonly DrawCandidate[];
  readonly commitment: string;
  /** Absent before the reveal. */
  readonly seed?: string;
  readonly selection?: readonly DrawPick[];
}

export interface DrawVerification {
  readonly algorithm: string;
  /** sha256(seed) equals the commitment published before the month; undefined before reveal. */
  readonly commitmentMatches?: boolean;
  /** The selection recomputed from seed, month, plan and candidates equals the stored one. */
  readonly selectionMatches?: boolean;
  readonly recomputedSelection?: readonly DrawPick[];
}

/**
 * Recomputes a published draw: anyone may call it on a GET answer. Before the reveal there
 * is nothing to check but the algorithm; a malformed seed fails the commitment check.
 */
export function verifyDraw(published: PublishedDraw): DrawVerification {
  if (published.algorithm !== spotDrawAlgorithm) return { algorithm: published.algorithm, commitmentMatches: false, selectionMatches: false };
  if (published.seed === undefined) return { algorithm: published.algorithm };
  if (!seedHexPattern.test(published.seed)) return { algorithm: published.algorithm, commitmentMatches: false, selectionMatches: false };
  const commitmentMatches = commitmentOf(published.seed) === published.commitment;
  const recomputed = drawSpotChecks(published.seed, published.month, published.plan, published.candidates).selection;
  const stored = published.selection ?? [];
  const selectionMatches =
    recomputed.length === stored.length && recomputed.every((pick, index) => pick.segmentId === stored[index]?.segmentId && pick.quotaIndex === stored[index]?.quotaIndex);
  return { algorithm: published.algorithm, commitmentMatches, selectionMatches, recomputedSelection: recomputed };
}
