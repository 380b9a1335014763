import * as z from 'zod';
import { CalendarDate, defaultZone, localDate } from '../dates';
import { ForbiddenError, NotFoundError, StaleVersionError, ValidationError } from '../errors';
import { authorize, isContractorScoped, type Actor } from '../policy';
import type { Clock, IdGenerator, Page, PageRequest } from '../ports';
import type { Rulebook } from '../rulebooks/schema';
import { rulebookFromTemplate, templateById } from '../rulebooks/templates';
import { serviceTypes, type ServiceType } from '../service-types';
import { parseInput } from '../validation';
import { amendmentIdFrom, contractIdFrom, newContract, ScopeChangedError, ScopeConflictError } from './contract';
import { expireIfEnded, transition, type ContractAction } from './lifecycle';
import { scopeConflicts } from './overlap';
import type { ContractStore } from './ports';
import {
  AmendContractInput,
  CreateContractInput,
  TransitionInput,
  type AmendContractInput as AmendContractInputType,
  type Contract,
  type ContractFilter,
  type ContractTerms,
  type CreateContractInput as CreateContractInputType,
  type TransitionInput as TransitionInputType,
  type Amendment,
  type TermsPart,
} from './schema';
import { amendTerms, changedParts, latestTerms, termsAsOf, termsPeriods, versionDiff, type TermsDiff } from './terms';

/** What the contract use cases need from outside. */
export interface ContractDeps {
  readonly contracts: ContractStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The ids among `segmentIds` that name no usable segment of the tenant (unknown or retired). */
  segmentsExist(tenantId: string, segmentIds: readonly string[]): Promise<readonly string[]>;
  contractorExists(tenantId: string, contractorId: string): Promise<boolean>;
  /** The tenant's IANA zone for "today"; Asia/Shanghai when not wired. */
  tenantZone?(tenantId: string): Promise<string>;
}

/** Issues of the contract use cases name fields relative to the input (`scope`, `asOf`), zod's too. */
const relativePaths = '';

async function today(deps: ContractDeps, tenantId: string): Promise<string> {
  const zone = deps.tenantZone === undefined ? defaultZone : await deps.tenantZone(tenantId);
  return localDate(deps.clock.now(), zone);
}

/**
 * The rulebook to embed: the caller's own (which needs rulebook:write, since it sets how the
 * contractor is assessed) or a fresh copy of a shipped template.
 */
function resolveRulebook(
  actor: Actor,
  serviceType: ServiceType,
  rulebook: Rulebook | undefined,
  templateId: string | undefined,
): Rulebook | undefined {
  if (rulebook !== undefined) {
    authorize(actor, 'rulebook:write');
    return rulebook;
  }
  if (templateId === undefined) return undefined;
  const template = templateById(templateId);
  if (template === undefined) {
    throw new ValidationError('unknown rulebook template', [{ path: 'rulebookTemplateId', message: `no rulebook template '${templateId}'` }]);
  }
  if (template.serviceType !== serviceType) {
    throw new ValidationError('the rulebook template is for another service type', [
      { path: 'rulebookTemplateId', message: `template '${templateId}' is for ${template.serviceType}, the contract is ${serviceType}` },
    ]);
  }
  return rulebookFromTemplate(template);
}

async function requireSegments(deps: ContractDeps, tenantId: string, segmentIds: readonly string[]): Promise<void> {
  if (segmentIds.length === 0) return;
  const missing = await deps.segmentsExist(tenantId, segmentIds);
  if (missing.length === 0) return;
  const shown = missing.slice(0, 10).join(', ');
  throw new ValidationError('the scope names segments that do not exist', [
    { path: 'scope', message: `${missing.length} segment(s) do not exist or are retired: ${shown}${missing.length > 10 ? ', …' : ''}` },
  ]);
}

/** Creates a draft contract, directly or from an award (issue 3 "Contracts"). */
export async function createContract(deps: ContractDeps, actor: Actor, input: CreateContractInputType): Promise<Contract> {
  authorize(actor, 'contract:write');
  const fields = parseInput(CreateContractInput, input, relativePaths);
  const rulebook = resolveRulebook(actor, fields.serviceType, fields.rulebook, fields.rulebookTemplateId);
  if (rulebook === undefined) throw new RangeError('CreateContractInput guarantees a rulebook or a template id');
  if (!(await deps.contractorExists(actor.tenantId, fields.contractorId))) {
    throw new ValidationError('unknown contractor', [{ path: 'contractorId', message: `no contractor '${fields.contractorId}' in this district` }]);
  }
  await requireSegments(deps, actor.tenantId, fields.scope);
  const contract = newContract(fields, {
    tenantId: actor.tenantId,
    contractId: contractIdFrom(deps.ids.next()),
    rulebook,
    at: deps.clock.now(),
    by: actor.userId,
  });
  await deps.contracts.save({ contract, expectedVersion: undefined });
  return contract;
}

const AsOfQuery = z.object({ asOf: CalendarDate });

/** A contract with the terms in force on `asOf` (today when not given). */
export interface ContractAsOf {
  readonly contract: Contract;
  readonly asOf: string;
  /** Undefined when the contract is not in force that day (before its start, after it ended). */
  readonly terms: ContractTerms | undefined;
}

/** `GET /v1/contracts/{id}?asOf=YYYY-MM-DD`. A contractor user reads only its own contracts. */
export async function getContract(deps: ContractDeps, actor: Actor, contractId: string, asOf?: string): Promise<ContractAsOf> {
  authorize(actor, 'contract:read');
  const date = asOf === undefined ? await today(deps, actor.tenantId) : parseInput(AsOfQuery, { asOf }, relativePaths).asOf;
  const contract = await deps.contracts.get(actor.tenantId, contractId);
  if (contract === undefined) throw new NotFoundError('contract', contractId);
  authorize(actor, 'contract:read', contract);
  return { contract, asOf: date, terms: termsAsOf(contract, date) };
}

/**
 * Lists contracts by status, contractor, service type. A contractor user sees its own only:
 * the filter is narrowed to its contractor, and naming another is refused.
 */
export async function listContracts(deps: ContractDeps, actor: Actor, filter: ContractFilter, page: PageRequest): Promise<Page<Contract>> {
  authorize(actor, 'contract:read');
  if (!isContractorScoped(actor)) return deps.contracts.list(actor.tenantId, filter, page);
  if (actor.contractorId === undefined) throw new ForbiddenError('a contractor user without a contractor id may not list contracts', { zh: '未绑定作业单位编号的作业单位用户不能列出合同' });
  if (filter.contractorId !== undefined && filter.contractorId !== actor.contractorId) {
    throw new ForbiddenError(`a contractor user may list only its own contracts, not contractor '${filter.contractorId}'`, {
      zh: `作业单位用户只能列出本单位的合同，不能列出作业单位 '${filter.contractorId}' 的合同`,
    });
  }
  return deps.contracts.list(actor.tenantId, { ...filter, contractorId: actor.contractorId }, page);
}

async function current(deps: ContractDeps, actor: Actor, contractId: string, expectedVersion: number): Promise<Contract> {
  const contract = await deps.contracts.get(actor.tenantId, contractId);
  if (contract === undefined) throw new NotFoundError('contract', contractId);
  if (contract.version !== expectedVersion) throw new StaleVersionError('contract', contractId, expectedVersion, contract.version);
  return contract;
}

/** Attempts at check-then-save before a stream of concurrent scope changes becomes a 409. */
const scopeAttempts = 5;

/**
 * Saves `candidate` unless it would share a segment-day with a holding contract
 * (ScopeConflictError, 409). The check and the save are one atomic step: the save is
 * conditional on the scope version the check read (ports.ts `checkedScopeVersion`), so of two
 * overlapping activations racing, the second to commit fails, checks again, now sees the
 * first, and gets the 409 naming it. A concurrent change that does not overlap just retries.
 */
async function saveWithoutOverlap(deps: ContractDeps, candidate: Contract, expectedVersion: number): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const holding = await deps.contracts.listActiveByServiceType(candidate.tenantId, candidate.serviceType);
    const conflicts = scopeConflicts(candidate, holding.contracts);
    if (conflicts.length > 0) throw new ScopeConflictError(candidate.contractId, conflicts);
    try {
      await deps.contracts.save({ contract: candidate, expectedVersion, checkedScopeVersion: holding.scopeVersion });
      return;
    } catch (error) {
      if (!(error instanceof ScopeChangedError) || attempt >= scopeAttempts) throw error;
    }
  }
}

async function changeStatus(
  deps: ContractDeps,
  actor: Actor,
  contractId: string,
  expectedVersion: number,
  action: ContractAction,
  input: TransitionInputType,
): Promise<Contract> {
  authorize(actor, 'contract:write');
  const { reason } = parseInput(TransitionInput, input, relativePaths);
  const contract = await current(deps, actor, contractId, expectedVersion);
  const next = transition(contract, action, {
    at: deps.clock.now(),
    by: actor.userId,
    today: await today(deps, actor.tenantId),
    ...(reason === undefined ? {} : { reason }),
  });
  // Only activation can create an overlap: a suspended contract kept holding its segments.
  if (action === 'activate') await saveWithoutOverlap(deps, next, expectedVersion);
  else await deps.contracts.save({ contract: next, expectedVersion });
  return next;
}

/** draft → active, refused with 409 when a segment is already held by another contract. */
export function activateContract(deps: ContractDeps, actor: Actor, contractId: string, expectedVersion: number, input: TransitionInputType = {}): Promise<Contract> {
  return changeStatus(deps, actor, contractId, expectedVersion, 'activate', input);
}

/** active → suspended; a reason is required. */
export function suspendContract(deps: ContractDeps, actor: Actor, contractId: string, expectedVersion: number, input: TransitionInputType): Promise<Contract> {
  return changeStatus(deps, actor, contractId, expectedVersion, 'suspend', input);
}

/** suspended → active. */
export function resumeContract(deps: ContractDeps, actor: Actor, contractId: string, expectedVersion: number, input: TransitionInputType = {}): Promise<Contract> {
  return changeStatus(deps, actor, contractId, expectedVersion, 'resume', input);
}

/** draft | active | suspended → terminated, effective today; a reason is required. */
export function terminateContract(deps: ContractDeps, actor: Actor, contractId: string, expectedVersion: number, input: TransitionInputType): Promise<Contract> {
  return changeStatus(deps, actor, contractId, expectedVersion, 'terminate', input);
}

/**
 * Records an amendment (变更) as a new terms version (rules in terms.ts `amendTerms`). Added
 * segments must exist; an active or suspended contract's new scope must not overlap another.
 */
export async function amendContract(
  deps: ContractDeps,
  actor: Actor,
  contractId: string,
  expectedVersion: number,
  input: AmendContractInputType,
): Promise<Contract> {
  authorize(actor, 'contract:write');
  const fields = parseInput(AmendContractInput, input, relativePaths);
  const contract = await current(deps, actor, contractId, expectedVersion);
  const rulebook = resolveRulebook(actor, contract.serviceType, fields.rulebook, fields.rulebookTemplateId);
  const next = amendTerms(
    contract,
    {
      effectiveFrom: fields.effectiveFrom,
      reason: fields.reason,
      approvedBy: fields.approvedBy,
      approvedAt: fields.approvedAt,
      ...(fields.scope === undefined ? {} : { scope: fields.scope }),
      ...(fields.pricing === undefined ? {} : { pricing: fields.pricing }),
      ...(fields.standardRef === undefined ? {} : { standardRef: fields.standardRef }),
      ...(rulebook === undefined ? {} : { rulebook }),
    },
    { today: await today(deps, actor.tenantId), amendmentId: amendmentIdFrom(deps.ids.next()), at: deps.clock.now(), by: actor.userId },
  );
  const before = new Set(latestTerms(contract).scope);
  await requireSegments(deps, actor.tenantId, latestTerms(next).scope.filter((id) => !before.has(id)));
  if (contract.status === 'active' || contract.status === 'suspended') await saveWithoutOverlap(deps, next, expectedVersion);
  else await deps.contracts.save({ contract: next, expectedVersion });
  return next;
}

/** One row of the versions listing: the version, the dates it governs, and what it changed. */
export interface ContractVersionEntry {
  readonly termsVersion: number;
  readonly effectiveFrom: string;
  /** Dates the version governs; absent when a later version with the same date superseded it. */
  readonly inForce?: { readonly from: string; readonly to: string };
  readonly amendment?: Amendment;
  readonly changes: readonly TermsPart[];
  /** Against the version before it; absent for the original terms. */
  readonly diff?: TermsDiff;
  readonly terms: ContractTerms;
}

/** Every terms version, oldest first, each with what changed from the one before. */
export async function contractVersions(deps: ContractDeps, actor: Actor, contractId: string): Promise<ContractVersionEntry[]> {
  authorize(actor, 'contract:read');
  const contract = await deps.contracts.get(actor.tenantId, contractId);
  if (contract === undefined) throw new NotFoundError('contract', contractId);
  authorize(actor, 'contract:read', contract);
  const periods = new Map(termsPeriods(contract).map((period) => [period.terms.termsVersion, period]));
  return contract.versions.map((terms, index) => {
    const previous = contract.versions[index - 1];
    const diff = previous === undefined ? undefined : versionDiff(previous, terms);
    const period = periods.get(terms.termsVersion);
    return {
      termsVersion: terms.termsVersion,
      effectiveFrom: terms.effectiveFrom,
      ...(period === undefined ? {} : { inForce: { from: period.from, to: period.to } }),
      ...(terms.amendment === undefined ? {} : { amendment: terms.amendment }),
      changes: diff === undefined ? [] : changedParts(diff),
      ...(diff === undefined ? {} : { diff }),
      terms,
    };
  });
}

/**
 * The daily sweep (no actor: a scheduled job of the tenant): expires every active or
 * suspended contract whose end date has passed ("today" in the tenant's zone, deps.tenantZone).
 * Returns the ids expired. A concurrent change makes that contract's save fail with
 * StaleVersionError: it is skipped, not expired, and the next run retries it.
 */
export async function expireEndedContracts(deps: ContractDeps, tenantId: string): Promise<string[]> {
  const date = await today(deps, tenantId);
  const expired: string[] = [];
  for (const serviceType of serviceTypes) {
    for (const contract of (await deps.contracts.listActiveByServiceType(tenantId, serviceType)).contracts) {
      const next = expireIfEnded(contract, date, deps.clock.now());
      if (next === contract) continue;
      try {
        await deps.contracts.save({ contract: next, expectedVersion: contract.version });
      } catch (error) {
        // Changed since it was read (suspended, amended, terminated…): skip it, not the run.
        if (error instanceof StaleVersionError) continue;
        throw error;
      }
      expired.push(contract.contractId);
    }
  }
  return expired;
}
