/** What the procurement screens share: segment and contractor lookups, labels, refusals with segments. */
import type { Schemas } from '../../api/client';
import { ApiProblem, api, must } from '../../api/client';
import { allPages, type ListedSegment } from '../../api/lists';
import { formatDate, formatFen, formatInstant } from '../../i18n';
import { pt } from './messages';

/** A segment as the API answers it (the response's own type: positions as arrays). */
export type Segment = ListedSegment;
export type Contractor = Schemas['Contractor'];

/** If-Match for a record's version. */
export function ifMatch(version: number): string {
  return `"${version}"`;
}

/** Every segment of the tenant (active and retired), for names and maps. */
export function loadSegments(status: 'active' | 'all' = 'all'): Promise<Segment[]> {
  return allPages(async (cursor) => must(await api.GET('/v1/segments', { params: { query: { limit: 200, status, ...(cursor === undefined ? {} : { cursor }) } } })));
}

export function loadContractors(): Promise<Contractor[]> {
  return allPages(async (cursor) => must(await api.GET('/v1/contractors', { params: { query: { limit: 200, status: 'all', ...(cursor === undefined ? {} : { cursor }) } } })));
}

export function byId<T, K extends keyof T>(items: readonly T[], key: K): Map<T[K], T> {
  return new Map(items.map((item) => [item[key], item]));
}

export function gradeLabel(grade: string): string {
  return pt(`grade_${grade}` as 'grade_primary');
}

export function flagsLabel(flags: readonly string[]): string {
  return flags.map((flag) => pt(`flag_${flag}` as 'flag_strict')).join('、');
}

export function serviceLabel(type: string): string {
  return pt(`service_${type}` as 'service_cleaning');
}

/** A calendar date (YYYY-MM-DD) or a date at the head of an instant, as people read it. */
export function day(value: string | undefined): string {
  return value === undefined ? '—' : formatDate(value.slice(0, 10));
}

/** Integer thousandths of a fen per m² per year as yuan, by string arithmetic (629000 → ¥6.29). */
export function formatMilliFen(milliFen: number): string {
  const digits = String(Math.abs(milliFen)).padStart(6, '0');
  const yuan = digits.slice(0, -5).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits.slice(-5).replace(/0+$/, '').padEnd(2, '0');
  return `${milliFen < 0 ? '-' : ''}¥${yuan}.${fraction}`;
}

/** A contract's or a lot's pricing in one line. */
export function pricingText(pricing: Schemas['ContractPricing'] | Schemas['LotPricing'] | Schemas['BidPrice']): string {
  if (pricing.kind === 'lump_sum') {
    const fen = 'monthlyFen' in pricing ? pricing.monthlyFen : pricing.ceilingMonthlyFen;
    return pt('perMonth', { amount: formatFen(fen) });
  }
  if (pricing.kind === 'lump_sum_per_m2') {
    const milli = 'milliFenPerM2Year' in pricing ? pricing.milliFenPerM2Year : pricing.ceilingMilliFenPerM2Year;
    return pt('perM2Year', { amount: formatMilliFen(milli) });
  }
  return pricing.items.map((item) => `${item.code} ${'unitFen' in item ? formatFen(item.unitFen) : formatFen(item.ceilingUnitFen)}`).join('；');
}

/**
 * Yuan as typed (12.5, 1,200.00, full-width digits) to integer fen by string arithmetic, or
 * undefined when it is not an amount with at most `decimals` places. `scale` is the unit's
 * digits after the yuan (2 for fen, 5 for thousandths of a fen).
 */
export function parseYuan(input: string, scale = 2): number | undefined {
  const text = input.normalize('NFKC').trim().replace(/[,，\s]/g, '').replace(/^¥/, '');
  const match = new RegExp(`^(\\d+)(?:\\.(\\d{1,${scale}}))?$`).exec(text);
  if (match === null) return undefined;
  const value = Number(`${match[1]}${(match[2] ?? '').padEnd(scale, '0')}`);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A scope overlap a refusal names (problem+json `conflicts`). */
export interface Conflict {
  readonly segmentId: string;
  readonly otherContractId: string;
  readonly overlapFrom: string;
  readonly overlapTo: string;
}

export function conflictsOf(error: unknown): Conflict[] {
  if (!(error instanceof ApiProblem)) return [];
  const conflicts = (error.problem as { conflicts?: Conflict[] }).conflicts;
  return Array.isArray(conflicts) ? conflicts : [];
}

/** The conflicts of a refusal as a table: segment, the contract holding it, and the dates. */
export function ConflictTable({ conflicts, segments, contractTitle }: { conflicts: readonly Conflict[]; segments: ReadonlyMap<string, Segment>; contractTitle?: (id: string) => string | undefined }) {
  if (conflicts.length === 0) return null;
  return (
    <table class="data conflicts">
      <caption>{pt('conflictsTitle')}</caption>
      <thead>
        <tr>
          <th scope="col">{pt('segment')}</th>
          <th scope="col">{pt('otherContract')}</th>
          <th scope="col">{pt('overlapFrom')}</th>
          <th scope="col">{pt('overlapTo')}</th>
        </tr>
      </thead>
      <tbody>
        {conflicts.map((conflict) => (
          <tr key={`${conflict.segmentId}-${conflict.otherContractId}-${conflict.overlapFrom}`}>
            <td>{segments.get(conflict.segmentId)?.name ?? conflict.segmentId}</td>
            <td>
              <a href={`#/procurement/contracts/${conflict.otherContractId}`}>{contractTitle?.(conflict.otherContractId) ?? conflict.otherContractId}</a>
            </td>
            <td>{day(conflict.overlapFrom)}</td>
            <td>{day(conflict.overlapTo)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Today in the district (YYYY-MM-DD). */
export function today(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The district's wall time now as a datetime-local value (YYYY-MM-DDTHH:MM:SS). */
export function nowLocal(offsetMs = 0): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(Date.now() + offsetMs))
      .map((part) => [part.type, part.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

/** A datetime-local value (the district's wall time) as an instant with the district's offset. */
export function localToInstant(value: string): string {
  return `${value.length === 16 ? `${value}:00` : value}+08:00`;
}

/** Hundredths of a point with both decimals (8850 → 88.50), by string arithmetic: a table's column reads evenly. */
export function points(x100: number | undefined): string {
  if (x100 === undefined) return '—';
  const digits = String(Math.abs(x100)).padStart(3, '0');
  return `${x100 < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** A long list of segment names folded behind its first few. */
export function SegmentNames({ ids, name }: { ids: readonly string[]; name: (id: string) => string }) {
  const names = ids.map(name);
  if (names.length <= 6) return <span>{names.join('、')}</span>;
  return (
    <details class="names">
      <summary>{`${names.slice(0, 4).join('、')} …`}</summary>
      {names.join('、')}
    </details>
  );
}

/** A record's versions, newest first as the API lists them, each with what changed from the one before. */
export function VersionHistory<T extends { readonly version: number; readonly updatedAt: string; readonly updatedBy: string }>({
  caption,
  history,
  changesOf,
}: {
  caption: string;
  history: readonly T[];
  changesOf: (previous: T | undefined, current: T) => string[];
}) {
  return (
    <table class="data">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{pt('version')}</th>
          <th scope="col">{pt('when')}</th>
          <th scope="col">{pt('who')}</th>
          <th scope="col">{pt('changes')}</th>
        </tr>
      </thead>
      <tbody>
        {history.map((version, index) => (
          <tr key={version.version}>
            <td class="num">{version.version}</td>
            <td>{formatInstant(version.updatedAt)}</td>
            <td>{version.updatedBy}</td>
            <td>
              <ul class="plain">
                {changesOf(history[index - 1], version).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
