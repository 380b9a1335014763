/** Calendar labels of the district (YYYY-MM, YYYY-Qn): which periods to ask the API about. */
import { tenantZone } from '../../i18n';

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;
const quarterPattern = /^(\d{4})-Q([1-4])$/;

export function isMonth(value: string): boolean {
  return monthPattern.test(value);
}

export function isQuarter(value: string): boolean {
  return quarterPattern.test(value);
}

/** The running month in the district's zone. */
export function currentMonth(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tenantZone, year: 'numeric', month: '2-digit' }).formatToParts(now);
  return `${parts.find((part) => part.type === 'year')?.value}-${parts.find((part) => part.type === 'month')?.value}`;
}

/** `month` moved by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The `count` months ending with `to`, oldest first. */
export function monthsUpTo(to: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(to, i - count + 1));
}

export function quarterOf(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return `${year}-Q${Math.ceil(number / 3)}`;
}

/** The last `count` quarters up to the one of `month`, newest first. */
export function quartersUpTo(month: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => quarterOf(addMonths(month, -3 * i)));
}

/** 2026-12 → 2026年12月 / Dec 2026; 2026-Q4 → 2026年第4季度 / 2026 Q4. */
export function periodLabel(period: string, zh: boolean): string {
  const month = monthPattern.exec(period);
  if (month !== null) return zh ? `${month[1]}年${Number(month[2])}月` : `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(month[2]) - 1]} ${month[1]}`;
  const quarter = quarterPattern.exec(period);
  if (quarter !== null) return zh ? `${quarter[1]}年第${quarter[2]}季度` : `${quarter[1]} Q${quarter[2]}`;
  return period;
}
