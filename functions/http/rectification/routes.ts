import * as z from 'zod';
import { UploadInput } from '../../../domain/proofs/use-cases';
import { RectificationOrder, RectificationOrderId } from '../../../domain/rectification/schema';
import { AnswerInput, OrderListQuery, ReopenInput, ReviewInput } from '../../../domain/rectification/use-cases';
import type { RouteSpec } from '../../shared/route';
import { pageOf } from '../../shared/schemas';
import { IssuedUploadView } from '../proofs/routes';
import { OrderNames } from '../shared/names';

const tags = ['rectification'] as const;

const OrderParams = z.object({ orderId: RectificationOrderId });

/**
 * An order as read (get and list): the stored order with the names of its contract, contractor
 * and segment beside their ids. Writes answer the order as stored.
 */
export const NamedRectificationOrder = RectificationOrder.extend(OrderNames.shape).meta({
  id: 'NamedRectificationOrder',
  description: '整改通知书 as read: the order, with contractTitle, contractorName, segmentName and street beside the ids',
});

export const listRectificationOrdersRoute = {
  operationId: 'listRectificationOrders',
  method: 'GET',
  path: '/v1/rectification-orders',
  summary: "A contract's rectification orders (整改通知书) by due time, filtered by status and due time (contractor users: own contracts)",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'rectification:read' },
  query: OrderListQuery,
  success: { status: 200, description: 'one page, earliest due first', schema: pageOf(NamedRectificationOrder, 'RectificationOrderPage') },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const getRectificationOrderRoute = {
  operationId: 'getRectificationOrder',
  method: 'GET',
  path: '/v1/rectification-orders/{orderId}',
  summary: 'One rectification order with its answers, reviews and late mark',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'rectification:read', hidesExistence: true },
  params: OrderParams,
  success: { status: 200, description: 'the order with its names (ETag: its version)', schema: NamedRectificationOrder },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const requestRectificationUploadRoute = {
  operationId: 'requestRectificationUpload',
  method: 'POST',
  path: '/v1/rectification-orders/{orderId}/uploads',
  summary: "A presigned S3 POST for one photo of the fix (the order's contractor, while open or reopened)",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'rectification:answer', alsoRequires: ['evidence:upload'], hidesExistence: true },
  params: OrderParams,
  body: UploadInput,
  idempotent: true,
  success: { status: 201, description: 'the form to POST the photo with', schema: IssuedUploadView },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const answerRectificationOrderRoute = {
  operationId: 'answerRectificationOrder',
  method: 'POST',
  path: '/v1/rectification-orders/{orderId}/answers',
  summary: 'Answer an open or reopened order with photos, GPS, time and a note (contractor); after the deadline it is marked late',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'rectification:answer', hidesExistence: true },
  params: OrderParams,
  body: AnswerInput,
  idempotent: true,
  success: { status: 201, description: 'the answered order', schema: RectificationOrder },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422],
} as const satisfies RouteSpec;

export const acceptRectificationOrderRoute = {
  operationId: 'acceptRectificationOrder',
  method: 'POST',
  path: '/v1/rectification-orders/{orderId}/acceptance',
  summary: 'Accept the answer: the order is closed (inspector; If-Match)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'rectification:review' },
  params: OrderParams,
  body: ReviewInput,
  ifMatch: true,
  success: { status: 200, description: 'the closed order', schema: RectificationOrder },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 428],
} as const satisfies RouteSpec;

export const reopenRectificationOrderRoute = {
  operationId: 'reopenRectificationOrder',
  method: 'POST',
  path: '/v1/rectification-orders/{orderId}/reopening',
  summary: 'Refuse the answer with a reason: the order is open again, the due time stays (inspector; If-Match)',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'rectification:review' },
  params: OrderParams,
  body: ReopenInput,
  ifMatch: true,
  success: { status: 200, description: 'the reopened order', schema: RectificationOrder },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const rectificationRoutes: readonly RouteSpec[] = [
  listRectificationOrdersRoute,
  getRectificationOrderRoute,
  requestRectificationUploadRoute,
  answerRectificationOrderRoute,
  acceptRectificationOrderRoute,
  reopenRectificationOrderRoute,
];
