import { httpModule } from '../../shared/http';
import { runIdempotently } from '../../shared/idempotency';
import { approveStatementHandler } from './approve-statement';
import { computeStatementHandler } from './compute-statement';
import { diffStatementHandler } from './diff-statement';
import { getStatementHandler } from './get-statement';
import { getStatementLineHandler } from './get-statement-line';
import { listStatementVersionsHandler } from './list-statement-versions';
import { listStatementsHandler } from './list-statements';
import { recordStatementPaymentHandler } from './record-statement-payment';
import { reviewStatementHandler } from './review-statement';

/** The statements Lambda (issue 7): compute, read, diff, expand, review, approve, pay. */
export const handler = httpModule(
  [
    computeStatementHandler,
    getStatementHandler,
    listStatementVersionsHandler,
    diffStatementHandler,
    getStatementLineHandler,
    reviewStatementHandler,
    approveStatementHandler,
    recordStatementPaymentHandler,
    listStatementsHandler,
  ],
  { idempotency: runIdempotently },
);
