import * as z from 'zod';
import { Contract } from '../../../domain/contracts/schema';
import { lotIdPattern, tenderIdPattern } from '../../../domain/tenders/identity';
import {
  AwardLotInput,
  Bid,
  BidProblem,
  CreateTenderInput,
  EvaluationRow,
  EvaluationTable,
  RecordBidInput,
  Tender,
  TenderFilter,
} from '../../../domain/tenders/schema';
import { PageQuery, pageOf } from '../../shared/schemas';
import type { RouteSpec } from '../../shared/route';

const tags = ['tenders'] as const;
const tenderId = z.string().regex(tenderIdPattern, 'not a tender id (tdr_ + 26 characters)');
const lotId = z.string().regex(lotIdPattern, 'not a lot id (lot_1, lot_2, …)');
const TenderParams = z.object({ tenderId });
const LotParams = z.object({ tenderId, lotId });

/**
 * A bid as the API shows it: every reason it does not count is listed, and an invalid bid is
 * kept (201) rather than refused. `valid` and `reasons` are the checks made when it was
 * recorded; the evaluation checks again (a later bid of the same bidder supersedes it, a
 * contractor may be suspended meanwhile) and its table is what ranks.
 */
export const BidView = Bid.omit({ check: true })
  .extend({
    valid: z.boolean(),
    reasons: z.array(BidProblem).describe('why the bid does not count (late, over_ceiling, contractor_suspended, …); empty when valid'),
  })
  .meta({ id: 'RecordedBid' });
export type BidView = z.infer<typeof BidView>;

export const LotAwardView = z
  .object({
    contractId: z.string().describe('the draft contract created for the winner (activate it with POST /v1/contracts/{contractId}/activate)'),
    tender: Tender,
    winner: EvaluationRow,
    contract: Contract,
  })
  .meta({ id: 'LotAward' });

export const createTenderRoute = {
  operationId: 'createTender',
  method: 'POST',
  path: '/v1/tenders',
  summary: 'Open a tender with its lots (segments, pricing kind and ceiling) and evaluation method',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tender:write' },
  body: CreateTenderInput,
  idempotent: true,
  success: { status: 201, description: 'the open tender', schema: Tender },
  problems: [400, 401, 403, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const ListTendersQuery = PageQuery.extend({ status: TenderFilter.shape.status });

export const listTendersRoute = {
  operationId: 'listTenders',
  method: 'GET',
  path: '/v1/tenders',
  summary: 'List tenders, newest first (lots without their evaluation tables)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tender:read' },
  query: ListTendersQuery,
  success: { status: 200, description: 'one page of tenders', schema: pageOf(Tender, 'TenderPage') },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const getTenderRoute = {
  operationId: 'getTender',
  method: 'GET',
  path: '/v1/tenders/{tenderId}',
  summary: 'Read one tender with its lots (ETag carries its version)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tender:read' },
  params: TenderParams,
  success: { status: 200, description: 'the tender', schema: Tender },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const recordBidRoute = {
  operationId: 'recordBid',
  method: 'POST',
  path: '/v1/tenders/{tenderId}/bids',
  summary: 'Record a bid as received, while the tender is open; an invalid bid is kept and shown with its reasons',
  description:
    'Late, over the ceiling, from a suspended or black-listed contractor, or pricing an item not on the card: 201 with `valid: false` and every reason. ' +
    'Refused (400) only what cannot be a bid on the lot: an unknown lot or contractor, another pricing kind, a submission time in the future, a weighted tender\'s bid without a technical score.',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tender:write' },
  params: TenderParams,
  body: RecordBidInput,
  idempotent: true,
  success: { status: 201, description: 'the recorded bid, valid or not', schema: BidView },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422],
} as const satisfies RouteSpec;

export const ListBidsQuery = z.object({ lotId: lotId.optional() });

export const listBidsRoute = {
  operationId: 'listBids',
  method: 'GET',
  path: '/v1/tenders/{tenderId}/bids',
  summary: 'Every bid of the tender (of one lot with ?lotId=), in recording order, with its reasons',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tender:read' },
  params: TenderParams,
  query: ListBidsQuery,
  success: { status: 200, description: 'the bids', schema: z.object({ items: z.array(BidView) }).meta({ id: 'BidList' }) },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const closeTenderRoute = {
  operationId: 'closeTender',
  method: 'POST',
  path: '/v1/tenders/{tenderId}/close',
  summary: '开标: close the tender to bids, at or after its close instant (If-Match: its version)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tender:write' },
  params: TenderParams,
  ifMatch: true,
  success: { status: 200, description: 'the closed tender', schema: Tender },
  problems: [400, 401, 403, 404, 409, 412, 428],
} as const satisfies RouteSpec;

export const evaluateLotRoute = {
  operationId: 'evaluateLot',
  method: 'POST',
  path: '/v1/tenders/{tenderId}/lots/{lotId}/evaluation',
  summary: 'Evaluate a lot of a closed tender and store the ranked table (If-Match: the tender\'s version)',
  description:
    'The table shows every figure: compared prices, price / technical / credit scores, totals, ranks, how ties were broken, and every invalid bid with its reasons. ' +
    'Evaluating again before the award replaces the table. The ETag is the tender\'s new version, which the award names.',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tender:write' },
  params: LotParams,
  ifMatch: true,
  success: { status: 200, description: 'the evaluation table', schema: EvaluationTable },
  problems: [400, 401, 403, 404, 409, 412, 428],
} as const satisfies RouteSpec;

export const getLotEvaluationRoute = {
  operationId: 'getLotEvaluation',
  method: 'GET',
  path: '/v1/tenders/{tenderId}/lots/{lotId}/evaluation',
  summary: 'The stored evaluation table of a lot (ETag: the tender\'s version)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tender:read' },
  params: LotParams,
  success: { status: 200, description: 'the evaluation table', schema: EvaluationTable },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const awardLotRoute = {
  operationId: 'awardLot',
  method: 'POST',
  path: '/v1/tenders/{tenderId}/lots/{lotId}/award',
  summary: 'Award a lot to its first-ranked bid and create the winner\'s draft contract (If-Match: the tender\'s version)',
  description:
    'The contract takes the lot\'s service type and segments and the winning prices; the body gives its title, dates, performance bond and rulebook. ' +
    'The award and the contract are written together. A lot is awarded at most once: a second award gets 409 naming the contract.',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tender:write', alsoRequires: ['contract:write'] },
  params: LotParams,
  body: AwardLotInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 201, description: 'the award with the draft contract', schema: LotAwardView },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const tenderRoutes: readonly RouteSpec[] = [
  createTenderRoute,
  listTendersRoute,
  getTenderRoute,
  recordBidRoute,
  listBidsRoute,
  closeTenderRoute,
  evaluateLotRoute,
  getLotEvaluationRoute,
  awardLotRoute,
];
