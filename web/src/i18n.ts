/**
 * Language and formats. zh-CN by default, English switchable (kept in localStorage).
 * Instants come from the API already in the tenant's zone with its offset
 * ("2026-12-07T05:00:00+08:00"), so the wall time is read from the string itself: the phone's
 * own zone never shifts a window. Money is integer fen, formatted by string arithmetic.
 */
import { store, useStore } from './store';
import { messages, type MessageKey } from './messages';

export type Language = 'zh' | 'en';

const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem('xiuhua.language');
export const languageStore = store<Language>(saved === 'en' ? 'en' : 'zh');

export function language(): Language {
  return languageStore.get();
}

export function setLanguage(next: Language): void {
  localStorage.setItem('xiuhua.language', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  languageStore.set(next);
}

/** The message for a key in the current language, `{name}` placeholders filled. */
export function t(key: MessageKey, values: Readonly<Record<string, string | number>> = {}): string {
  const template = messages[key][language()];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** Re-render on a language switch. */
export function useLanguage(): Language {
  return useStore(languageStore);
}

/** The zh or en text of a `{ zh, en }` label from the API. */
export function label(value: { readonly zh: string; readonly en: string } | undefined, fallback = ''): string {
  if (value === undefined) return fallback;
  return language() === 'zh' ? value.zh : value.en;
}

const instantPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly time: string;
  readonly offset: string;
}

/**
 * The district's zone, for instants the phone itself wrote (in UTC, e.g. when a job was
 * queued); the API's instants already carry the tenant's offset and are read as written.
 */
export const tenantZone = 'Asia/Shanghai';

const zoneParts = new Intl.DateTimeFormat('en-CA', { timeZone: tenantZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' });

function inTenantZone(iso: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const parts = Object.fromEntries(zoneParts.formatToParts(date).map((part) => [part.type, part.value]));
  const offset = (parts['timeZoneName'] ?? 'GMT+08:00').replace('GMT', '') || '+00:00';
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:00${offset}`;
}

function wall(iso: string): WallTime | undefined {
  const written = iso.endsWith('Z') ? inTenantZone(iso) : iso;
  if (written === undefined) return undefined;
  const match = instantPattern.exec(written);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, , offset] = match;
  return { year: Number(year), month: Number(month), day: Number(day), time: `${hour}:${minute}`, offset: offset === 'Z' ? '+00:00' : offset! };
}

/** 2026-12-07 → 2026年12月7日 / 7 Dec 2026. */
export function formatDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return language() === 'zh' ? `${year}年${month}月${day}日` : `${day} ${monthsEn[month - 1]} ${year}`;
}

/** An instant as its wall time in the zone it was written in: 2026年12月7日 05:00 (+08:00). */
export function formatInstant(iso: string, options: { readonly withDate?: boolean; readonly withOffset?: boolean } = {}): string {
  const parts = wall(iso);
  if (parts === undefined) return iso;
  const date = `${parts.year}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;
  const head = options.withDate === false ? '' : `${formatDate(date)} `;
  return `${head}${parts.time}${options.withOffset === false ? '' : ` (${parts.offset})`}`;
}

/** A task's window: 05:00–07:00 on the task's own date. */
export function formatWindow(start: string, end: string): string {
  const a = wall(start);
  const b = wall(end);
  if (a === undefined || b === undefined) return `${start}–${end}`;
  return `${a.time}–${b.time}`;
}

/** Integer fen as yuan: 58200000 → ¥582,000.00 (negative: -¥1.50). No floating point. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`formatFen takes integer fen, not ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  const yuan = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${digits.slice(-2)}`;
}

/** Points held as hundredths: 150 → 1.5 (string arithmetic, like fen). */
export function formatX100(x100: number): string {
  const sign = x100 < 0 ? '-' : '';
  const digits = String(Math.abs(x100)).padStart(3, '0');
  const fraction = digits.slice(-2).replace(/0+$/, '');
  return `${sign}${digits.slice(0, -2)}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Metres as a person reads them: 317 米 / 1.2 公里. */
export function formatDistance(metres: number): string {
  if (metres < 1000) return language() === 'zh' ? `${Math.round(metres)} 米` : `${Math.round(metres)} m`;
  const km = (Math.round(metres / 100) / 10).toFixed(1);
  return language() === 'zh' ? `${km} 公里` : `${km} km`;
}

/** A rate held in basis points: 9512 → 95.12%. String arithmetic, like fen. */
export function formatBps(bps: number): string {
  if (!Number.isSafeInteger(bps)) throw new RangeError(`formatBps takes integer basis points, not ${bps}`);
  const sign = bps < 0 ? '-' : '';
  const digits = String(Math.abs(bps)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}%`;
}
