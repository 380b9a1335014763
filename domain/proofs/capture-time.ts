import { DateTime } from 'luxon';
import { defaultZone } from '../dates';
import { ValidationError } from '../errors';

/**
 * One rule for every kind of evidence (issue 13: "capture times in the future beyond a small
 * clock-skew allowance are refused on every kind of evidence, as task proofs already are"):
 * task proofs, rectification answers, work-order completions and inspections all call it.
 * A phone's clock may run a few minutes ahead of the server's; a capture time further ahead
 * is a wrong clock or a claim made up in advance, and evidence of work not yet done.
 */

/** Minutes a claimed capture time may lie ahead of the server clock (phone clocks drift). */
export const clockSkewMinutes = 5;

/**
 * Throws a ValidationError on `path` (in English and Chinese, the times in the tenant's zone)
 * when `capturedAt` is more than `clockSkewMinutes` after `now`; returns otherwise.
 */
export function requireCapturedNotInFuture(capturedAt: Date, now: Date, path: string, zone: string = defaultZone): void {
  const aheadMs = capturedAt.getTime() - now.getTime();
  if (aheadMs <= clockSkewMinutes * 60_000) return;
  const show = (instant: Date): string => DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');
  const minutes = Math.round(aheadMs / 60_000);
  throw new ValidationError(
    'the capture time is in the future',
    [
      {
        path,
        message: `${show(capturedAt)} is ${minutes} min after the server's clock (${show(now)}), allowance ${clockSkewMinutes} min`,
        zh: `${show(capturedAt)} 比服务器时间（${show(now)}）晚 ${minutes} 分钟，允许误差 ${clockSkewMinutes} 分钟`,
      },
    ],
    { zh: '拍摄时间在未来' },
  );
}
