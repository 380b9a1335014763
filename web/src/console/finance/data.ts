/** What the finance screens read from the API, and the formats of a statement form. */
import { api, must, type Schemas } from '../../api/client';
import { allPages } from '../../api/lists';
import { language } from '../../i18n';
import { fm, type FinanceKey } from './messages';

export type StatementRecord = Schemas['StatementRecord'];
export type StatementLine = Schemas['StatementLine'];
export type StatementSummary = Schemas['StatementSummary'];
export type Contract = Schemas['Contract'];

export const statementPath = '/v1/contracts/{contractId}/statements/{month}' as const;

/** The line's formula in the reader's language: `formulaZh` where the API has it. */
export function formulaOf(line: StatementLine | { readonly formula: string; readonly formulaZh?: string }): string {
  const zh = 'formulaZh' in line && typeof line.formulaZh === 'string' && line.formulaZh !== '' ? line.formulaZh : undefined;
  return language() === 'zh' ? zh ?? line.formula : line.formula;
}

export function lineLabel(line: { readonly labelZh: string; readonly labelEn: string }): string {
  return language() === 'zh' ? line.labelZh : line.labelEn;
}

export function statusText(status: StatementRecord['status'] | 'none' | 'failed'): string {
  return fm(`status_${status}`);
}

export function serviceText(serviceType: string): string {
  return serviceType === 'cleaning' || serviceType === 'greening' || serviceType === 'municipal' ? fm(`service_${serviceType}`) : serviceType;
}

/** A totals key the dictionary names, else the key itself. */
export function totalLabel(key: string): string {
  const name = `total_${key}` as FinanceKey;
  return name in totalKeys ? fm(name) : key;
}
/** The order a statement's totals read in (DESIGN §3), the net last; unknown keys after it. */
export const totalsOrder = ['baseFen', 'unitRateFen', 'bonusFen', 'bonusCapFen', 'qualityDeductionFen', 'finesFen', 'deductionsBeforeCapFen', 'capFen', 'excessFen', 'deductionsTakenFen', 'retentionFen', 'adjustmentsFen', 'netFen'];
const totalKeys: Readonly<Record<string, true>> = Object.fromEntries(totalsOrder.map((key) => [`total_${key}`, true]));

/** The totals as the API holds them, in reading order. */
export function orderedTotals(totals: Readonly<Record<string, number>>): [string, number][] {
  const rank = (key: string): number => (totalsOrder.includes(key) ? totalsOrder.indexOf(key) : totalsOrder.length);
  return Object.entries(totals).sort(([a], [b]) => rank(a) - rank(b));
}

/** `contractId/2026-11/v3` (an adjustment's statement reference) → its parts. */
export function parseStatementRef(ref: string): { readonly contractId: string; readonly month: string; readonly version?: number } | undefined {
  const match = /^([^/]+)\/(\d{4}-\d{2})(?:\/v(\d+))?$/.exec(ref);
  if (match === null) return undefined;
  return { contractId: match[1]!, month: match[2]!, ...(match[3] === undefined ? {} : { version: Number(match[3]) }) };
}

export async function loadStatement(contractId: string, month: string, version?: number): Promise<StatementRecord> {
  return must(await api.GET(statementPath, { params: { path: { contractId, month }, ...(version === undefined ? {} : { query: { version } }) } }));
}

export interface Names {
  readonly contract: Contract;
  readonly contractorName: string;
}

/** The contract and its contractor's name, for the heading and the printed form. */
export async function loadNames(contractId: string): Promise<Names> {
  const contract = must(await api.GET('/v1/contracts/{contractId}', { params: { path: { contractId } } }));
  const contractor = must(await api.GET('/v1/contractors/{contractorId}', { params: { path: { contractorId: contract.contractorId } } }));
  return { contract, contractorName: contractor.name };
}

let tenantName: string | undefined;

/**
 * The district's name (GET /v1/tenant), the 单位 a printed form names; read once per page
 * load. Undefined when the API gives none: the form then keeps its blank to write the name in,
 * rather than refusing to print a statement over a missing heading.
 */
export async function loadTenantName(): Promise<string | undefined> {
  if (tenantName !== undefined) return tenantName;
  const answer = await api.GET('/v1/tenant');
  tenantName = answer.data?.name;
  return tenantName;
}

export async function allContracts(): Promise<Contract[]> {
  return allPages(async (cursor) => must(await api.GET('/v1/contracts', { params: { query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } } })));
}

export async function contractorNames(): Promise<Map<string, string>> {
  const items = await allPages(async (cursor) => must(await api.GET('/v1/contractors', { params: { query: { limit: 200, status: 'all', ...(cursor === undefined ? {} : { cursor }) } } })));
  return new Map(items.map((item) => [item.contractorId, item.name]));
}

export async function monthStatements(month: string): Promise<StatementSummary[]> {
  return allPages(async (cursor) => must(await api.GET('/v1/statements', { params: { query: { month, limit: 200, ...(cursor === undefined ? {} : { cursor }) } } })));
}

/** The ETag form of a record version, as If-Match takes it. */
export function ifMatch(version: number): string {
  return `"${version}"`;
}
