import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { acceptRectificationOrderHandler } from './accept-rectification-order';
import { answerRectificationOrderHandler } from './answer-rectification-order';
import { getRectificationOrderHandler } from './get-rectification-order';
import { listRectificationOrdersHandler } from './list-rectification-orders';
import { reopenRectificationOrderHandler } from './reopen-rectification-order';
import { requestRectificationUploadHandler } from './request-rectification-upload';

/** The rectification Lambda: orders (整改通知书) read, photographed, answered and reviewed (issue 6). */
export const handler = httpModule(
  [
    listRectificationOrdersHandler,
    getRectificationOrderHandler,
    requestRectificationUploadHandler,
    answerRectificationOrderHandler,
    acceptRectificationOrderHandler,
    reopenRectificationOrderHandler,
  ],
  { idempotency: runIdempotently },
);
