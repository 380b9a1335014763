import { DateTime } from 'luxon';
import { addDays } from '../dates';

/** Uploads open this long before the window starts (a crew gets ready at the depot). */
export const uploadLeadMinutes = 60;

/**
 * Until when a task takes uploads and proofs: from its window start − 60 min to the end of
 * the NEXT local day (00:00 two days after the task's date, tenant zone). A crew on a night
 * shift or without signal submits the next morning; later than that nobody remembers what
 * was done, and the day is the inspectors' to judge. Submissions after the sweep marked the
 * task missed still count when the photos were captured inside the window. The proof intake
 * enforces it (domain/proofs/use-cases.ts); the task views show it, so a crew sees the deadline.
 */
export function taskIntakeWindow(task: { readonly windowStart: string; readonly localDate: string }, zone: string): { readonly opens: Date; readonly closes: Date } {
  const opens = new Date(new Date(task.windowStart).getTime() - uploadLeadMinutes * 60_000);
  const closes = DateTime.fromISO(addDays(task.localDate, 2), { zone }).startOf('day').toJSDate();
  return { opens, closes };
}
