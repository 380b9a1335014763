import type { Bid } from '../../../domain/tenders/schema';
import type { BidView } from './routes';

/** A stored bid as the API shows it: its recorded checks as `valid` and `reasons`. */
export function bidView({ check, ...bid }: Bid): BidView {
  return { ...bid, valid: check.valid, reasons: [...check.problems] };
}
