import * as z from 'zod';
import { contractorIdPattern } from '../../../domain/contractors/identity';
import {
  Contractor,
  ContractorFilter,
  RegisterContractorInput,
  ReinstateContractorInput,
  SetListingInput,
  SuspendContractorInput,
  UpdateContractorInput,
} from '../../../domain/contractors/schema';
import { PageQuery, pageOf } from '../../shared/schemas';
import type { RouteSpec } from '../../shared/route';

const tags = ['contractors'] as const;
const ContractorParams = z.object({ contractorId: z.string().regex(contractorIdPattern, 'not a contractor id (ctr_ + 16 characters)') });

export const registerContractorRoute = {
  operationId: 'registerContractor',
  method: 'POST',
  path: '/v1/contractors',
  summary: 'Register a contractor under its unified social credit code (one per code per tenant)',
  description: 'A wrong code gets 400 naming `body.code` and saying why: length, character or check character (GB 32100-2015). A second registration of the same code gets 409.',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'contractor:write' },
  body: RegisterContractorInput,
  idempotent: true,
  success: { status: 201, description: 'registered', schema: Contractor },
  problems: [400, 401, 403, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const getContractorRoute = {
  operationId: 'getContractor',
  method: 'GET',
  path: '/v1/contractors/{contractorId}',
  summary: 'Read one contractor (ETag carries its version); a contractor user reads only its own',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'contractor:read' },
  params: ContractorParams,
  success: { status: 200, description: 'the contractor', schema: Contractor },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

/** `?q=` is the domain filter's `search`: part of the name, or the start of the code. */
export const ListContractorsQuery = PageQuery.extend({
  q: ContractorFilter.shape.search,
  status: ContractorFilter.shape.status,
  listing: ContractorFilter.shape.listing,
});

export const listContractorsRoute = {
  operationId: 'listContractors',
  method: 'GET',
  path: '/v1/contractors',
  summary: 'List contractors by name, searched by part of the name or the start of the code',
  description: 'A contractor user gets at most its own record.',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'contractor:read' },
  query: ListContractorsQuery,
  success: { status: 200, description: 'one page of contractors, ordered by name', schema: pageOf(Contractor, 'ContractorPage') },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const updateContractorRoute = {
  operationId: 'updateContractor',
  method: 'PATCH',
  path: '/v1/contractors/{contractorId}',
  summary: 'Change a contractor\'s details (If-Match: its version); the code never changes',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'contractor:write' },
  params: ContractorParams,
  body: UpdateContractorInput,
  ifMatch: true,
  success: { status: 200, description: 'the changed contractor', schema: Contractor },
  problems: [400, 401, 403, 404, 412, 413, 415, 428],
} as const satisfies RouteSpec;

export const suspendContractorRoute = {
  operationId: 'suspendContractor',
  method: 'POST',
  path: '/v1/contractors/{contractorId}/suspend',
  summary: 'Suspend a contractor (its bids are invalid until reinstated); 409 when already suspended',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'contractor:write' },
  params: ContractorParams,
  body: SuspendContractorInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the suspended contractor', schema: Contractor },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const reinstateContractorRoute = {
  operationId: 'reinstateContractor',
  method: 'POST',
  path: '/v1/contractors/{contractorId}/reinstate',
  summary: 'End a contractor\'s suspension, with the reason; 409 when it is not suspended',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'contractor:write' },
  params: ContractorParams,
  body: ReinstateContractorInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the reinstated contractor', schema: Contractor },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const setContractorListingRoute = {
  operationId: 'setContractorListing',
  method: 'PUT',
  path: '/v1/contractors/{contractorId}/listing',
  summary: 'Put a contractor on the red or black list (红黑榜), or take it off, with reason and date',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'contractor:write' },
  params: ContractorParams,
  body: SetListingInput,
  ifMatch: true,
  success: { status: 200, description: 'the contractor with its listing', schema: Contractor },
  problems: [400, 401, 403, 404, 412, 413, 415, 428],
} as const satisfies RouteSpec;

export const contractorHistoryRoute = {
  operationId: 'listContractorHistory',
  method: 'GET',
  path: '/v1/contractors/{contractorId}/history',
  summary: 'Every version of a contractor, newest first',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'contractor:read' },
  params: ContractorParams,
  query: PageQuery,
  success: { status: 200, description: 'one page of versions', schema: pageOf(Contractor, 'ContractorVersionPage') },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const contractorRoutes: readonly RouteSpec[] = [
  registerContractorRoute,
  getContractorRoute,
  listContractorsRoute,
  updateContractorRoute,
  suspendContractorRoute,
  reinstateContractorRoute,
  setContractorListingRoute,
  contractorHistoryRoute,
];
