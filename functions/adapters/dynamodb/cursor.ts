import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../../domain/errors';
import type { Page, PageRequest } from '../../../domain/ports';

/**
 * Opaque list cursors: DynamoDB's LastEvaluatedKey, base64url-encoded. Decoding checks the
 * key belongs to the partition being listed, so a cursor from another list (or another
 * tenant) is refused as a 400 instead of reaching DynamoDB.
 */
export type StartKey = Record<string, string>;

export function encodeCursor(key: StartKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  expected: Readonly<Record<string, string>>,
  attributes: readonly string[],
): StartKey | undefined {
  if (cursor === undefined) return undefined;
  const invalid = (): ValidationError =>
    new ValidationError('the cursor is not valid for this list', [
      { path: 'query.cursor', message: 'use the nextCursor returned by this same list, unchanged' },
    ]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw Object.assign(invalid(), { cause });
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  // Exactly the key attributes of this list, all strings: anything else would reach DynamoDB
  // and come back as its validation error (a 500) instead of this 400.
  const entries = Object.entries(key as Record<string, unknown>);
  if (entries.length !== attributes.length || entries.some(([name, value]) => !attributes.includes(name) || typeof value !== 'string')) {
    throw invalid();
  }
  const start = key as StartKey;
  for (const [name, value] of Object.entries(expected)) {
    if (start[name] !== value) throw invalid();
  }
  return start;
}

/**
 * One page of a query, as items with their key attributes. Reads until the page is full: a
 * filter may drop items, and a short page with a cursor would make clients page through empty
 * answers. `expected` pins the partition a cursor must belong to; `cursorAttributes` are the
 * key attributes it holds.
 */
export async function queryPage(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  page: PageRequest,
  expected: Readonly<Record<string, string>>,
  cursorAttributes: readonly string[],
): Promise<Page<Record<string, unknown>>> {
  const items: Record<string, unknown>[] = [];
  let startKey: StartKey | undefined = decodeCursor(page.cursor, expected, cursorAttributes);
  let more = true;
  while (more && items.length < page.limit) {
    const result = await client.send(new QueryCommand({ ...input, Limit: page.limit - items.length, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }));
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey as StartKey | undefined;
    more = startKey !== undefined;
  }
  const last = items[items.length - 1];
  const nextCursor = more && last !== undefined ? encodeCursor(Object.fromEntries(cursorAttributes.map((name) => [name, String(last[name])]))) : undefined;
  return { items, ...(nextCursor === undefined ? {} : { nextCursor }) };
}
