import * as z from 'zod';
import { contractorIdPattern } from '../../../domain/contractors/identity';
import {
  AmendContractInput,
  Amendment,
  Contract,
  ContractPricing,
  ContractStatus,
  ContractTerms,
  CreateContractInput,
  StandardRef,
  TransitionInput,
  termsParts,
} from '../../../domain/contracts/schema';
import { CalendarDate } from '../../../domain/dates';
import { ServiceType } from '../../../domain/service-types';
import { PageQuery, pageOf } from '../../shared/schemas';
import type { RouteSpec } from '../../shared/route';

const tags = ['contracts'] as const;
const ContractParams = z.object({ contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id (con_ + 26 characters)') });

/** A contract with the terms in force on `asOf` (GET /v1/contracts/{id}). */
export const ContractAsOf = Contract.extend({
  asOf: CalendarDate.describe('the date the terms were resolved for (today, tenant zone, when not asked)'),
  terms: ContractTerms.nullable().describe('the terms version in force on asOf; null before the start or after the last day in force'),
}).meta({ id: 'ContractAsOf' });

const codes = z.array(z.string());

const TermsDiff = z
  .object({
    scope: z.object({ added: codes, removed: codes }),
    pricing: z.object({
      changed: z.boolean(),
      from: ContractPricing.optional(),
      to: ContractPricing.optional(),
      items: z.object({ added: codes, removed: codes, changed: codes }).optional().describe('rate card item codes, when both are rate cards'),
    }),
    standardRef: z.object({ changed: z.boolean(), from: StandardRef.optional(), to: StandardRef.optional() }),
    rulebook: z.object({
      changed: z.boolean(),
      itemsAdded: codes,
      itemsRemoved: codes,
      itemsChanged: codes,
      sectionsChanged: codes.describe('top-level rulebook fields other than defect items, e.g. scoreBands'),
    }),
  })
  .meta({ id: 'ContractTermsDiff', description: 'what a terms version changed against the one before it' });

export const ContractVersionEntry = z
  .object({
    termsVersion: z.number().int().positive(),
    effectiveFrom: CalendarDate,
    inForce: z
      .object({ from: CalendarDate, to: CalendarDate })
      .optional()
      .describe('inclusive dates this version governs; absent when a later version with the same effectiveFrom superseded it'),
    amendment: Amendment.optional().describe('absent on the original terms'),
    changes: z.array(z.enum(termsParts)),
    diff: TermsDiff.optional().describe('absent on the original terms'),
    terms: ContractTerms,
  })
  .meta({ id: 'ContractVersion' });

const ContractVersions = z
  .object({ contractId: z.string(), items: z.array(ContractVersionEntry).describe('oldest first') })
  .meta({ id: 'ContractVersions' });

export const createContractRoute = {
  operationId: 'createContract',
  method: 'POST',
  path: '/v1/contracts',
  summary: 'Create a draft contract directly (not from a tender), with a rulebook or a rulebook template',
  description:
    'The rulebook is copied into the contract (`rulebook`, or `rulebookTemplateId` for a shipped template of the same service type). The contractor and every segment of the scope must exist (400 naming `body.contractorId` / `body.scope`).',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'contract:write' },
  body: CreateContractInput,
  idempotent: true,
  success: { status: 201, description: 'the draft contract', schema: Contract },
  problems: [400, 401, 403, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const ListContractsQuery = PageQuery.extend({
  status: ContractStatus.optional(),
  contractorId: z.string().regex(contractorIdPattern, 'not a contractor id (ctr_ + 16 characters)').optional(),
  serviceType: ServiceType.optional(),
});

export const listContractsRoute = {
  operationId: 'listContracts',
  method: 'GET',
  path: '/v1/contracts',
  summary: 'List contracts, newest first, by status, contractor and service type; a contractor user sees its own',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'contract:read' },
  query: ListContractsQuery,
  success: { status: 200, description: 'one page of contracts', schema: pageOf(Contract, 'ContractPage') },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const GetContractQuery = z.object({
  asOf: CalendarDate.optional().describe('YYYY-MM-DD: answer with the terms in force that day (default today)'),
});

export const getContractRoute = {
  operationId: 'getContract',
  method: 'GET',
  path: '/v1/contracts/{contractId}',
  summary: 'Read a contract with the terms version in force on ?asOf= (ETag carries its version)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'contract:read' },
  params: ContractParams,
  query: GetContractQuery,
  success: { status: 200, description: 'the contract and the terms in force on asOf', schema: ContractAsOf },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

/**
 * The four status changes share their shape: If-Match, an optional body with a reason (which
 * suspend and terminate require), 409 naming the allowed transitions when not allowed now.
 */
function transitionRoute<const Id extends string, const Action extends string>(operationId: Id, action: Action, summary: string) {
  return {
    operationId,
    method: 'POST',
    path: `/v1/contracts/{contractId}/${action}`,
    summary,
    description:
      'Not allowed from the current status: 409 whose detail lists the transitions allowed from it. The body may be omitted (or `{}`) where no reason is required.',
    tags,
    auth: 'jwt',
    authz: { scope: 'tenant', action: 'contract:write' },
    params: ContractParams,
    body: TransitionInput.optional(),
    ifMatch: true,
    idempotent: true,
    success: { status: 200, description: 'the contract with its new status', schema: Contract },
    problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
  } as const satisfies RouteSpec;
}

export const activateContractRoute = transitionRoute(
  'activateContract',
  'activate',
  'draft → active; 409 naming segment, contract and dates when the scope overlaps a contract of the same service type',
);
export const suspendContractRoute = transitionRoute('suspendContract', 'suspend', 'active → suspended (reason required); it keeps its segments');
export const resumeContractRoute = transitionRoute('resumeContract', 'resume', 'suspended → active');
export const terminateContractRoute = transitionRoute(
  'terminateContract',
  'terminate',
  'draft | active | suspended → terminated, effective today (reason required)',
);

export const amendContractRoute = {
  operationId: 'amendContract',
  method: 'POST',
  path: '/v1/contracts/{contractId}/amendments',
  summary: 'Amend (变更) scope, pricing, standard or rulebook from an effective date, with reason and approver',
  description:
    'Adds a terms version from `effectiveFrom`; earlier days keep the terms then in force. An active or suspended contract cannot be amended retroactively (422), and its new scope must not overlap another contract of the same service type (409).',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'contract:write' },
  params: ContractParams,
  body: AmendContractInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 201, description: 'the contract with its new terms version', schema: Contract },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const listContractVersionsRoute = {
  operationId: 'listContractVersions',
  method: 'GET',
  path: '/v1/contracts/{contractId}/versions',
  summary: 'Every terms version with the dates it governs, its amendment, what changed and the diff',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'contract:read' },
  params: ContractParams,
  success: { status: 200, description: 'the terms versions, oldest first', schema: ContractVersions },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const contractRoutes: readonly RouteSpec[] = [
  createContractRoute,
  listContractsRoute,
  getContractRoute,
  activateContractRoute,
  suspendContractRoute,
  resumeContractRoute,
  terminateContractRoute,
  amendContractRoute,
  listContractVersionsRoute,
];
