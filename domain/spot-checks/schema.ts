import * as z from 'zod';
import { ApiMonth } from '../assessment/months';
import { RoadGrade, SegmentFlag } from '../segments/schema';
import { ServiceType } from '../service-types';

/**
 * A month's spot-check draw for one service type (DESIGN §3 "Spot-check sampling"). One
 * record per (tenant, month, service type): committed before the month, revealed after it
 * starts. The seed is stored from the commit on but never shown before the reveal
 * (./use-cases.ts `drawView`).
 */

export const SpotCheckMonth = ApiMonth;

export const SpotCheckParams = z.object({ month: SpotCheckMonth });

export const SpotCheckRequest = z
  .strictObject({ serviceType: ServiceType.describe("whose contracts' rulebook plan and scope the draw uses") })
  .meta({ id: 'SpotCheckRequest' });
export type SpotCheckRequest = z.infer<typeof SpotCheckRequest>;

export const SpotCheckQuery = z.object({ serviceType: ServiceType });

const Quota = z.object({ flag: SegmentFlag.nullable(), grade: RoadGrade.optional(), count: z.number().int() });
const Candidate = z.object({ segmentId: z.string(), flags: z.array(SegmentFlag), grade: RoadGrade, street: z.string() });
const Pick = z.object({ quotaIndex: z.number().int(), segmentId: z.string() });

export const SpotCheckDraw = z.object({
  tenantId: z.string(),
  month: SpotCheckMonth,
  serviceType: ServiceType,
  algorithm: z.string(),
  plan: z.array(Quota),
  /** The contracts in force on the month's first day whose rulebook gave the plan and whose scope gave the candidates. */
  contractIds: z.array(z.string()),
  candidates: z.array(Candidate),
  candidatesDigest: z.string(),
  commitment: z.string(),
  /** Secret until `status` is revealed. */
  seed: z.string(),
  status: z.enum(['committed', 'revealed']),
  selection: z.array(Pick).optional(),
  shortfalls: z.array(z.object({ quotaIndex: z.number().int(), missing: z.number().int() })).optional(),
  committedAt: z.string(),
  committedBy: z.string(),
  revealedAt: z.string().optional(),
  revealedBy: z.string().optional(),
  version: z.number().int().positive(),
});
export type SpotCheckDraw = z.infer<typeof SpotCheckDraw>;

export const SpotCheckDrawView = z
  .object({
    month: SpotCheckMonth,
    serviceType: ServiceType,
    status: z.enum(['committed', 'revealed']),
    algorithm: z.string().describe('the algorithm id; domain/spot-checks/draw.ts states it step by step'),
    plan: z.array(Quota).describe("the rulebook's spotCheckPlan in force on the month's first day"),
    contractIds: z.array(z.string()),
    candidates: z.array(Candidate).describe('active segments in those contracts, snapshotted at commit, sorted by id'),
    candidatesDigest: z.string().describe('sha-256 of the canonical candidates JSON'),
    commitment: z.string().describe('sha-256 of the 32 raw seed bytes, hex; published at commit'),
    seed: z.string().optional().describe('64 hex digits; only after the reveal'),
    selection: z.array(Pick).optional(),
    shortfalls: z.array(z.object({ quotaIndex: z.number().int(), missing: z.number().int() })).optional(),
    committedAt: z.string(),
    committedBy: z.string(),
    revealedAt: z.string().optional(),
    revealedBy: z.string().optional(),
    version: z.number().int(),
    verification: z.object({
      algorithm: z.string(),
      commitmentMatches: z.boolean().optional().describe('sha256(seed) = commitment; absent before the reveal'),
      selectionMatches: z.boolean().optional().describe('the selection recomputed from the published inputs equals the stored one'),
      recomputedSelection: z.array(Pick).optional(),
    }),
  })
  .meta({ id: 'SpotCheckDraw', description: '月抽查 draw: commitment before the month, seed and selection after' });
export type SpotCheckDrawView = z.infer<typeof SpotCheckDrawView>;
