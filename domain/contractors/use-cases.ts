import { ConflictError, NotFoundError, StaleVersionError } from '../errors';
import { authorize, isAllowed, type Actor } from '../policy';
import type { Clock, IdGenerator, Page, PageRequest } from '../ports';
import { parseInput } from '../validation';
import { contractorOwnership, listedContractor, matchesContractorFilter, newContractor, reinstatedContractor, suspendedContractor, updatedContractor } from './contractor';
import { contractorIdFor } from './identity';
import type { ContractorStore } from './ports';
import {
  ContractorFilter,
  ReinstateContractorInput,
  RegisterContractorInput,
  SetListingInput,
  SuspendContractorInput,
  UpdateContractorInput,
  type Contractor,
} from './schema';

/** What the contractor use cases need from outside. */
export interface ContractorDeps {
  readonly contractors: ContractorStore;
  readonly clock: Clock;
  /** Unused today (contractor ids derive from the code); kept so every module's deps look alike. */
  readonly ids: IdGenerator;
}

/**
 * Registers a contractor under its unified social credit code. The id derives from
 * (tenant, code), so a second registration of the code in the tenant is a conditional-write
 * conflict: ConflictError naming the existing contractor (409).
 */
export async function registerContractor(deps: ContractorDeps, actor: Actor, input: RegisterContractorInput): Promise<Contractor> {
  authorize(actor, 'contractor:write');
  const { code, ...fields } = parseInput(RegisterContractorInput, input);
  const contractorId = contractorIdFor(actor.tenantId, code);
  const contractor = newContractor(actor.tenantId, contractorId, code, fields, { actor, at: deps.clock.now() });
  try {
    await deps.contractors.save({ contractor, expectedVersion: undefined });
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new ConflictError(`a contractor with code ${code} is already registered (${contractorId}); change it with PATCH`, { cause: error });
    }
    throw error;
  }
  return contractor;
}

/** A contractor user may read only its own record; procurement, finance, inspectors and admins the tenant's. */
export async function getContractor(deps: ContractorDeps, actor: Actor, contractorId: string): Promise<Contractor> {
  authorize(actor, 'contractor:read');
  const contractor = await deps.contractors.get(actor.tenantId, contractorId);
  if (contractor === undefined) throw new NotFoundError('contractor', contractorId);
  authorize(actor, 'contractor:read', contractorOwnership(contractor));
  return contractor;
}

/**
 * Lists the tenant's contractors. An actor the policy confines to its own contractor gets at
 * most that one record (if it matches the filter) instead of pages of the tenant filtered
 * down to nothing; the policy, not this function, decides who is confined.
 */
export async function listContractors(deps: ContractorDeps, actor: Actor, filter: ContractorFilter, page: PageRequest): Promise<Page<Contractor>> {
  authorize(actor, 'contractor:read');
  const parsed = parseInput(ContractorFilter, filter, 'query');
  if (confinedToOwnContractor(actor)) {
    const own = actor.contractorId === undefined ? undefined : await deps.contractors.get(actor.tenantId, actor.contractorId);
    return { items: own !== undefined && matchesContractorFilter(own, parsed) ? [own] : [] };
  }
  return deps.contractors.list(actor.tenantId, parsed, page);
}

/** Every version of a contractor, newest first; readable by whoever may read the contractor. */
export async function contractorHistory(deps: ContractorDeps, actor: Actor, contractorId: string, page: PageRequest): Promise<Page<Contractor>> {
  await getContractor(deps, actor, contractorId);
  return deps.contractors.history(actor.tenantId, contractorId, page);
}

/** Changes editable fields of the version the caller read (If-Match); a moved version gets StaleVersionError. */
export async function updateContractor(
  deps: ContractorDeps,
  actor: Actor,
  contractorId: string,
  expectedVersion: number,
  patch: UpdateContractorInput,
): Promise<Contractor> {
  authorize(actor, 'contractor:write');
  const parsed = parseInput(UpdateContractorInput, patch);
  const contractor = await current(deps, actor, contractorId, expectedVersion);
  const next = updatedContractor(contractor, parsed, { actor, at: deps.clock.now() });
  await deps.contractors.save({ contractor: next, expectedVersion });
  return next;
}

/** Suspends a contractor: its bids are invalid at evaluation until it is reinstated. 409 when already suspended. */
export async function suspendContractor(
  deps: ContractorDeps,
  actor: Actor,
  contractorId: string,
  expectedVersion: number,
  input: SuspendContractorInput,
): Promise<Contractor> {
  authorize(actor, 'contractor:write');
  const { reason } = parseInput(SuspendContractorInput, input);
  const contractor = await current(deps, actor, contractorId, expectedVersion);
  const next = suspendedContractor(contractor, reason, { actor, at: deps.clock.now() });
  await deps.contractors.save({ contractor: next, expectedVersion });
  return next;
}

/** Ends a suspension, with the reason. 409 when the contractor is not suspended. */
export async function reinstateContractor(
  deps: ContractorDeps,
  actor: Actor,
  contractorId: string,
  expectedVersion: number,
  input: ReinstateContractorInput,
): Promise<Contractor> {
  authorize(actor, 'contractor:write');
  const { reason } = parseInput(ReinstateContractorInput, input);
  const contractor = await current(deps, actor, contractorId, expectedVersion);
  const next = reinstatedContractor(contractor, reason, { actor, at: deps.clock.now() });
  await deps.contractors.save({ contractor: next, expectedVersion });
  return next;
}

/** Sets the 红黑榜 status (the rankings work calls this too, with its own source text). */
export async function setContractorListing(
  deps: ContractorDeps,
  actor: Actor,
  contractorId: string,
  expectedVersion: number,
  input: SetListingInput,
): Promise<Contractor> {
  authorize(actor, 'contractor:write');
  const listing = parseInput(SetListingInput, input);
  const contractor = await current(deps, actor, contractorId, expectedVersion);
  const next = listedContractor(contractor, listing, { actor, at: deps.clock.now() });
  await deps.contractors.save({ contractor: next, expectedVersion });
  return next;
}

async function current(deps: ContractorDeps, actor: Actor, contractorId: string, expectedVersion: number): Promise<Contractor> {
  const contractor = await deps.contractors.get(actor.tenantId, contractorId);
  if (contractor === undefined) throw new NotFoundError('contractor', contractorId);
  if (contractor.version !== expectedVersion) throw new StaleVersionError('contractor', contractorId, expectedVersion, contractor.version);
  return contractor;
}

/**
 * True when the policy lets `actor` read its own contractor's record but not another's: asked
 * about a record of a contractor that is not the actor's, it refuses.
 */
function confinedToOwnContractor(actor: Actor): boolean {
  const someoneElse = { tenantId: actor.tenantId, contractorId: `${actor.contractorId ?? ''}\u0000other` };
  return !isAllowed(actor, 'contractor:read', someoneElse);
}
