import { httpModule } from '../../shared/http';
import { getPerformanceHandler } from './get-performance';
import { getSegmentMonthHandler } from './get-segment-month';

/** The supervision Lambda (issue 15): GET /v1/supervision/performance and GET /v1/supervision/{month}/segments. */
export const handler = httpModule([getPerformanceHandler, getSegmentMonthHandler]);
