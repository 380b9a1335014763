import { createHash } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../../domain/errors';
import type { Page, PageRequest } from '../../../domain/ports';

/**
 * Opaque list cursors: DynamoDB's LastEvaluatedKey, base64url-encoded, with the query it
 * belongs to. Decoding checks the key belongs to the partition being listed, so a cursor from
 * another list (or another tenant) is refused as a 400 instead of reaching DynamoDB.
 *
 * A cursor of `queryPage` is bound to its whole query (issue 13): it carries a digest of the
 * index, the key condition with its values, the filter with its values (a contractor user's
 * own-contractor filter among them) and the direction, and its key must satisfy the key
 * condition. A cursor reused with another `dueBefore`, another filter or by another caller's
 * filter, and a forged key outside the sort-key range, are 400s naming `query.cursor`; before,
 * DynamoDB refused the out-of-range start key and the caller got a 500.
 *
 * The digest is not a signature (no key, nothing to keep secret): it tells a cursor of another
 * query from one of this query. A forged cursor that passes both checks only chooses where in
 * the caller's own query the page starts, which any caller may do by paging; what a page holds
 * is decided by the query and its filter, never by the cursor.
 */
export type StartKey = Record<string, string>;

/** What a cursor holds: the start key, and the digest of the query it was made by. */
interface CursorPayload {
  readonly k: StartKey;
  readonly q?: string;
}

export function encodeCursor(key: StartKey, query?: string): string {
  const payload: CursorPayload = query === undefined ? { k: key } : { k: key, q: query };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function invalidCursor(cause?: unknown): ValidationError {
  return new ValidationError('the cursor is not valid for this list', [
    {
      path: 'query.cursor',
      message: 'use the nextCursor returned by this same list, with the same filters, unchanged',
      zh: '请原样使用同一列表（相同筛选条件）返回的 nextCursor',
    },
  ], { ...(cause === undefined ? {} : { cause }), zh: '游标不属于此列表' });
}

/**
 * The start key of `cursor`, checked: exactly `attributes`, all strings, `expected` values
 * equal; and, when `query` is given (a digest of `queryBinding`), made by that same query.
 */
export function decodeCursor(
  cursor: string | undefined,
  expected: Readonly<Record<string, string>>,
  attributes: readonly string[],
  query?: string,
): StartKey | undefined {
  if (cursor === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalidCursor(cause);
  }
  if (!isRecord(payload)) throw invalidCursor();
  const { k: key, q: digest, ...rest } = payload;
  if (Object.keys(rest).length > 0 || !isRecord(key) || (digest !== undefined && typeof digest !== 'string')) throw invalidCursor();
  if (query !== undefined && digest !== query) throw invalidCursor();
  // Exactly the key attributes of this list, all strings: anything else would reach DynamoDB
  // and come back as its validation error (a 500) instead of this 400.
  const entries = Object.entries(key);
  if (entries.length !== attributes.length || entries.some(([name, value]) => !attributes.includes(name) || typeof value !== 'string')) {
    throw invalidCursor();
  }
  const start = key as StartKey;
  for (const [name, value] of Object.entries(expected)) {
    if (start[name] !== value) throw invalidCursor();
  }
  return start;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted at every level: the same query always digests the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((name) => value[name] !== undefined)
      .map((name) => `${JSON.stringify(name)}:${canonical(value[name])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The digest a cursor of `input` carries: everything that decides which rows the query visits
 * and in which order (index, key condition, filter, their names and values, direction), not
 * what it returns of them (projection, consistency) nor the page size.
 */
export function queryBinding(input: QueryCommandInput): string {
  const shape = {
    index: input.IndexName,
    key: input.KeyConditionExpression,
    filter: input.FilterExpression,
    names: input.ExpressionAttributeNames,
    values: input.ExpressionAttributeValues,
    forward: input.ScanIndexForward ?? true,
  };
  return createHash('sha256').update(canonical(shape)).digest('base64url').slice(0, 22);
}

type Clause =
  | { readonly attribute: string; readonly op: '=' | '<' | '<=' | '>' | '>='; readonly value: string }
  | { readonly attribute: string; readonly op: 'between'; readonly low: string; readonly high: string }
  | { readonly attribute: string; readonly op: 'begins_with'; readonly value: string };

/**
 * The clauses of a key condition expression (`pk = :pk AND begins_with(sk, :p)`,
 * `gsi1pk = :pk AND gsi1sk BETWEEN :a AND :b`, ...), names and values resolved. Throws on an
 * expression it cannot read: that is this code's own query, a bug, not the caller's input.
 */
export function keyConditionOf(input: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>): Clause[] {
  const expression = input.KeyConditionExpression ?? '';
  const name = (token: string): string => (token.startsWith('#') ? (input.ExpressionAttributeNames?.[token] ?? token) : token);
  const value = (token: string): string => {
    const resolved = input.ExpressionAttributeValues?.[token];
    if (typeof resolved !== 'string') throw new Error(`key condition '${expression}': ${token} is not a string value`);
    return resolved;
  };
  const patterns: [RegExp, (match: RegExpExecArray) => Clause][] = [
    [/^begins_with\s*\(\s*([#\w]+)\s*,\s*(:\w+)\s*\)/i, (m) => ({ attribute: name(m[1]!), op: 'begins_with', value: value(m[2]!) })],
    [/^([#\w]+)\s+BETWEEN\s+(:\w+)\s+AND\s+(:\w+)/i, (m) => ({ attribute: name(m[1]!), op: 'between', low: value(m[2]!), high: value(m[3]!) })],
    [/^([#\w]+)\s*(<=|>=|=|<|>)\s*(:\w+)/, (m) => ({ attribute: name(m[1]!), op: m[2] as '=' | '<' | '<=' | '>' | '>=', value: value(m[3]!) })],
  ];
  const clauses: Clause[] = [];
  let rest = expression.trim();
  while (rest.length > 0) {
    const found = patterns.map(([pattern, build]) => ({ match: pattern.exec(rest), build })).find((each) => each.match !== null);
    if (found === undefined || found.match === null) throw new Error(`key condition '${expression}' is not one this reader knows`);
    clauses.push(found.build(found.match));
    rest = rest.slice(found.match[0].length).trim();
    const and = /^AND\s+/i.exec(rest);
    if (and !== null) rest = rest.slice(and[0].length);
    else if (rest.length > 0) throw new Error(`key condition '${expression}' is not one this reader knows`);
  }
  return clauses;
}

/** DynamoDB orders strings by their UTF-8 bytes, not by UTF-16 units as `<` does. */
function compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** True when `key` satisfies every clause: a start key DynamoDB will take for this query. */
export function withinKeyCondition(key: StartKey, clauses: readonly Clause[]): boolean {
  return clauses.every((clause) => {
    const actual = key[clause.attribute];
    if (actual === undefined) return false;
    switch (clause.op) {
      case '=':
        return actual === clause.value;
      case '<':
        return compare(actual, clause.value) < 0;
      case '<=':
        return compare(actual, clause.value) <= 0;
      case '>':
        return compare(actual, clause.value) > 0;
      case '>=':
        return compare(actual, clause.value) >= 0;
      case 'between':
        return compare(actual, clause.low) >= 0 && compare(actual, clause.high) <= 0;
      case 'begins_with':
        return actual.startsWith(clause.value);
    }
  });
}

/**
 * One page of a query, as items with their key attributes. Reads until the page is full: a
 * filter may drop items, and a short page with a cursor would make clients page through empty
 * answers. `expected` pins the partition a cursor must belong to; `cursorAttributes` are the
 * key attributes it holds. The cursor is the key of the last item returned (never of an item
 * the filter dropped) and is bound to `input` (see the top of this file).
 */
export async function queryPage(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  page: PageRequest,
  expected: Readonly<Record<string, string>>,
  cursorAttributes: readonly string[],
): Promise<Page<Record<string, unknown>>> {
  const items: Record<string, unknown>[] = [];
  const binding = queryBinding(input);
  let startKey: StartKey | undefined = decodeCursor(page.cursor, expected, cursorAttributes, binding);
  if (startKey !== undefined && !withinKeyCondition(startKey, keyConditionOf(input))) throw invalidCursor();
  let more = true;
  while (more && items.length < page.limit) {
    const result = await client.send(new QueryCommand({ ...input, Limit: page.limit - items.length, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }));
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey as StartKey | undefined;
    more = startKey !== undefined;
  }
  const last = items[items.length - 1];
  const nextCursor = more && last !== undefined ? encodeCursor(Object.fromEntries(cursorAttributes.map((name) => [name, String(last[name])])), binding) : undefined;
  return { items, ...(nextCursor === undefined ? {} : { nextCursor }) };
}
