import * as z from 'zod';
import { UploadInput } from '../../../domain/proofs/use-cases';
import {
  AcceptWorkOrderInput,
  CompleteWorkOrderInput,
  CreateWorkOrderInput,
  RejectWorkOrderInput,
  WorkOrder,
  WorkOrderFilter,
  WorkOrderId,
} from '../../../domain/work-orders/schema';
import type { RouteSpec } from '../../shared/route';
import { PageQuery, pageOf } from '../../shared/schemas';
import { IssuedUploadView } from '../proofs/routes';
import { OrderNames } from '../shared/names';

const tags = ['work-orders'] as const;

const ContractParams = z.object({ contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id (con_ + 26 characters)') });
const WorkOrderParams = z.object({ workOrderId: WorkOrderId });

/**
 * A work order as read (get and list): the stored order with the names of its contract,
 * contractor and segment (location.segmentId) beside their ids. Writes answer the order as stored.
 */
export const NamedWorkOrder = WorkOrder.extend(OrderNames.shape).meta({
  id: 'NamedWorkOrder',
  description: '工单 as read: the order, with contractTitle, contractorName, segmentName and street beside the ids',
});

export const createWorkOrderRoute = {
  operationId: 'createWorkOrder',
  method: 'POST',
  path: '/v1/contracts/{contractId}/work-orders',
  summary: "Order one rate-card item of a unit-rate contract (inspector or procurement); the rate is the card's in force today",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'workorder:create' },
  params: ContractParams,
  body: CreateWorkOrderInput,
  idempotent: true,
  success: { status: 201, description: 'the open work order', schema: WorkOrder },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const listWorkOrdersRoute = {
  operationId: 'listWorkOrders',
  method: 'GET',
  path: '/v1/contracts/{contractId}/work-orders',
  summary: "A contract's work orders, oldest first, by status and month (contractor users: own contracts only)",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'workorder:read' },
  params: ContractParams,
  query: PageQuery.extend(WorkOrderFilter.shape),
  success: { status: 200, description: 'one page of work orders', schema: pageOf(NamedWorkOrder, 'WorkOrderPage') },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const getWorkOrderRoute = {
  operationId: 'getWorkOrder',
  method: 'GET',
  path: '/v1/work-orders/{workOrderId}',
  summary: 'One work order (ETag carries its version)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'workorder:read', hidesExistence: true },
  params: WorkOrderParams,
  success: { status: 200, description: 'the work order with its names', schema: NamedWorkOrder },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const requestWorkOrderUploadRoute = {
  operationId: 'requestWorkOrderUpload',
  method: 'POST',
  path: '/v1/work-orders/{workOrderId}/uploads',
  summary: "A presigned S3 POST for one photo of an open work order (the order's contractor)",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'workorder:complete', alsoRequires: ['evidence:upload'], hidesExistence: true },
  params: WorkOrderParams,
  body: UploadInput,
  idempotent: true,
  success: { status: 201, description: 'the form to POST the photo with', schema: IssuedUploadView },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const completeWorkOrderRoute = {
  operationId: 'completeWorkOrder',
  method: 'POST',
  path: '/v1/work-orders/{workOrderId}/completion',
  summary: 'Complete an open order with photos, GPS, time and the measured quantity (contractor; late when after the deadline)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'workorder:complete', hidesExistence: true },
  params: WorkOrderParams,
  body: CompleteWorkOrderInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the completed work order', schema: WorkOrder },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const acceptWorkOrderRoute = {
  operationId: 'acceptWorkOrder',
  method: 'POST',
  path: '/v1/work-orders/{workOrderId}/acceptance',
  summary: 'Accept a completed order with a quantity (inspector; a quantity other than the measured one needs a reason)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'workorder:accept', hidesExistence: true },
  params: WorkOrderParams,
  body: AcceptWorkOrderInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the accepted work order', schema: WorkOrder },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const rejectWorkOrderRoute = {
  operationId: 'rejectWorkOrder',
  method: 'POST',
  path: '/v1/work-orders/{workOrderId}/rejection',
  summary: 'Reject a completed order with a reason (inspector; final, no priced line)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'workorder:accept', hidesExistence: true },
  params: WorkOrderParams,
  body: RejectWorkOrderInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the rejected work order', schema: WorkOrder },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const workOrderRoutes: readonly RouteSpec[] = [
  createWorkOrderRoute,
  listWorkOrdersRoute,
  getWorkOrderRoute,
  requestWorkOrderUploadRoute,
  completeWorkOrderRoute,
  acceptWorkOrderRoute,
  rejectWorkOrderRoute,
];
