import type { Contract } from '../contracts/schema';
import { termsAsOf } from '../contracts/terms';
import { defaultZone, localDate } from '../dates';
import { ConflictError, NotFoundError, RuleViolationError } from '../errors';
import { authorize, type Actor } from '../policy';
import type { Clock } from '../ports';
import { sameValue } from '../records';
import type { Segment } from '../segments/schema';
import type { ServiceType } from '../service-types';
import { parseInput } from '../validation';
import { candidatesDigest, canonicalCandidates, commitmentOf, drawSpotChecks, seedBytes, spotDrawAlgorithm, verifyDraw, type DrawVerification } from './draw';
import type { RandomSource, SpotCheckStore } from './ports';
import { SpotCheckMonth, SpotCheckRequest, type SpotCheckDraw, type SpotCheckDrawView } from './schema';

/**
 * The draw's lifecycle (issue 6 "Verifiable spot-check draws"). Readings, stated once:
 * - One draw per (month, service type): a rulebook is per contract, but a district's
 *   contracts of one service type share one 考核办法, so the plan is the rulebook
 *   `spotCheckPlan` of the contracts of that service type in force on the month's first day;
 *   contracts whose plans differ are refused (422 naming them) rather than merged silently.
 * - Candidates: the tenant's ACTIVE segments in the scope (on the first day) of those
 *   contracts — a greening draw over roads nobody greens would be meaningless — snapshotted
 *   with flags, grade and street AT COMMIT, so segment edits after the commit cannot change
 *   the draw.
 * - Commit only before the month starts in the tenant zone (422 after); a repeat answers the
 *   stored commitment. Reveal only once the month has started (422 before); a repeat answers
 *   the stored draw.
 */

export interface SpotCheckDeps {
  readonly spotChecks: SpotCheckStore;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Contracts of the service type that hold scope (active or suspended). */
  holdingContracts(tenantId: string, serviceType: ServiceType): Promise<readonly Contract[]>;
  getSegments(tenantId: string, segmentIds: readonly string[]): Promise<ReadonlyMap<string, Segment>>;
  tenantZone?(tenantId: string): Promise<string>;
}

async function todayOf(deps: SpotCheckDeps, tenantId: string): Promise<string> {
  const zone = deps.tenantZone === undefined ? defaultZone : await deps.tenantZone(tenantId);
  return localDate(deps.clock.now(), zone);
}

function parseMonth(month: string): string {
  return parseInput(SpotCheckMonth, month, 'params.month');
}

/** The public answer: the seed only after the reveal, and the verification anyone can redo. */
export function drawView(draw: SpotCheckDraw): SpotCheckDrawView {
  const revealed = draw.status === 'revealed';
  const published = {
    algorithm: draw.algorithm,
    month: draw.month,
    plan: draw.plan,
    candidates: draw.candidates,
    commitment: draw.commitment,
    ...(revealed ? { seed: draw.seed, selection: draw.selection ?? [] } : {}),
  };
  return {
    month: draw.month,
    serviceType: draw.serviceType,
    status: draw.status,
    algorithm: draw.algorithm,
    plan: draw.plan,
    contractIds: draw.contractIds,
    candidates: draw.candidates,
    candidatesDigest: draw.candidatesDigest,
    commitment: draw.commitment,
    ...(revealed ? { seed: draw.seed, selection: draw.selection ?? [], shortfalls: draw.shortfalls ?? [] } : {}),
    committedAt: draw.committedAt,
    committedBy: draw.committedBy,
    ...(draw.revealedAt === undefined ? {} : { revealedAt: draw.revealedAt }),
    ...(draw.revealedBy === undefined ? {} : { revealedBy: draw.revealedBy }),
    version: draw.version,
    verification: mutableVerification(verifyDraw(published)),
  };
}

function mutableVerification(verification: DrawVerification): SpotCheckDrawView['verification'] {
  const { recomputedSelection, ...rest } = verification;
  return { ...rest, ...(recomputedSelection === undefined ? {} : { recomputedSelection: [...recomputedSelection] }) };
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** The plan and the candidates of a service type's draw on the month's first day. */
async function drawInputs(deps: SpotCheckDeps, tenantId: string, serviceType: ServiceType, firstDay: string): Promise<Pick<SpotCheckDraw, 'plan' | 'contractIds' | 'candidates'>> {
  const inForce = (await deps.holdingContracts(tenantId, serviceType))
    .map((contract) => ({ contract, terms: termsAsOf(contract, firstDay) }))
    .filter((entry) => entry.terms !== undefined)
    .sort((a, b) => (a.contract.contractId < b.contract.contractId ? -1 : 1));
  if (inForce.length === 0) {
    throw new RuleViolationError(`no ${serviceType} draw for ${firstDay.slice(0, 7)}`, [`no ${serviceType} contract is in force on ${firstDay}`]);
  }
  const plans = inForce.map((entry) => entry.terms!.rulebook.spotCheckPlan);
  const first = plans[0]!;
  const differing = inForce.filter((_, index) => !sameValue(plans[index], first)).map((entry) => entry.contract.contractId);
  if (differing.length > 0) {
    throw new RuleViolationError(`the ${serviceType} contracts disagree on the spot-check plan`, [
      `contract(s) ${differing.join(', ')} have a spotCheckPlan different from ${inForce[0]!.contract.contractId}'s; one draw needs one plan`,
    ]);
  }
  if (first.length === 0) throw new RuleViolationError(`no ${serviceType} draw`, ['the rulebook has an empty spotCheckPlan']);
  const ids = [...new Set(inForce.flatMap((entry) => entry.terms!.scope))];
  const segments = await deps.getSegments(tenantId, ids);
  const candidates = canonicalCandidates(
    [...segments.values()]
      .filter((segment) => segment.status === 'active')
      .map((segment) => ({ segmentId: segment.segmentId, flags: [...segment.flags].sort(), grade: segment.grade, street: segment.street })),
  );
  return {
    plan: first.map((quota) => ({ flag: quota.flag, ...(quota.grade === undefined ? {} : { grade: quota.grade }), count: quota.count })),
    contractIds: inForce.map((entry) => entry.contract.contractId),
    candidates: candidates.map((candidate) => ({ ...candidate, flags: [...candidate.flags] })),
  };
}

/** `POST /v1/spot-checks/{month}/commit` (inspector): publishes sha256(seed) before the month. */
export async function commitSpotCheck(deps: SpotCheckDeps, actor: Actor, month: string, input: unknown): Promise<SpotCheckDrawView> {
  authorize(actor, 'spotcheck:draw');
  const parsedMonth = parseMonth(month);
  const { serviceType } = parseInput(SpotCheckRequest, input, '');
  const existing = await deps.spotChecks.get(actor.tenantId, parsedMonth, serviceType);
  if (existing !== undefined) return drawView(existing);
  const firstDay = `${parsedMonth}-01`;
  const today = await todayOf(deps, actor.tenantId);
  if (today >= firstDay) {
    throw new RuleViolationError(`the ${parsedMonth} draw can no longer be committed`, [
      `the month has started (today is ${today} in the tenant zone); a commitment must be published before ${firstDay}`,
    ]);
  }
  const inputs = await drawInputs(deps, actor.tenantId, serviceType, firstDay);
  const seed = toHex(deps.random.bytes(seedBytes));
  const at = deps.clock.now().toISOString();
  const draw: SpotCheckDraw = {
    tenantId: actor.tenantId,
    month: parsedMonth,
    serviceType,
    algorithm: spotDrawAlgorithm,
    ...inputs,
    candidatesDigest: candidatesDigest(inputs.candidates),
    commitment: commitmentOf(seed),
    seed,
    status: 'committed',
    committedAt: at,
    committedBy: actor.userId,
    version: 1,
  };
  try {
    await deps.spotChecks.create(draw);
  } catch (error) {
    // Two inspectors committing at once: the first seed stands, and both see it.
    if (!(error instanceof ConflictError)) throw error;
    const winner = await deps.spotChecks.get(actor.tenantId, parsedMonth, serviceType);
    if (winner === undefined) throw error;
    return drawView(winner);
  }
  return drawView(draw);
}

/** `POST /v1/spot-checks/{month}/reveal` (inspector): publishes the seed and the selection once the month has started. */
export async function revealSpotCheck(deps: SpotCheckDeps, actor: Actor, month: string, input: unknown): Promise<SpotCheckDrawView> {
  authorize(actor, 'spotcheck:draw');
  const parsedMonth = parseMonth(month);
  const { serviceType } = parseInput(SpotCheckRequest, input, '');
  const draw = await deps.spotChecks.get(actor.tenantId, parsedMonth, serviceType);
  if (draw === undefined) throw new NotFoundError('spot-check draw', `${parsedMonth} ${serviceType}`);
  if (draw.status === 'revealed') return drawView(draw);
  const today = await todayOf(deps, actor.tenantId);
  if (today < `${parsedMonth}-01`) {
    throw new RuleViolationError(`the ${parsedMonth} draw cannot be revealed yet`, [
      `the month starts on ${parsedMonth}-01 (today is ${today} in the tenant zone); revealing earlier would tell contractors where inspectors go`,
    ]);
  }
  const result = drawSpotChecks(draw.seed, draw.month, draw.plan, draw.candidates);
  const revealed: SpotCheckDraw = {
    ...draw,
    status: 'revealed',
    selection: [...result.selection],
    shortfalls: [...result.shortfalls],
    revealedAt: deps.clock.now().toISOString(),
    revealedBy: actor.userId,
    version: draw.version + 1,
  };
  try {
    await deps.spotChecks.save(revealed, draw.version);
  } catch (error) {
    const current = await deps.spotChecks.get(actor.tenantId, parsedMonth, serviceType);
    // A concurrent reveal computed the same selection from the same inputs: answer it.
    if (current?.status === 'revealed') return drawView(current);
    throw error;
  }
  return drawView(revealed);
}

/** `GET /v1/spot-checks/{month}?serviceType=` (everyone of the tenant). */
export async function getSpotCheck(deps: SpotCheckDeps, actor: Actor, month: string, serviceType: ServiceType): Promise<SpotCheckDrawView> {
  authorize(actor, 'spotcheck:read');
  const parsedMonth = parseMonth(month);
  const draw = await deps.spotChecks.get(actor.tenantId, parsedMonth, serviceType);
  if (draw === undefined) throw new NotFoundError('spot-check draw', `${parsedMonth} ${serviceType}`);
  return drawView(draw);
}
