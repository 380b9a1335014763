/** Whole lists read page by page (the API caps a page at 200). */
import { api, must } from './client';

export async function allPages<T>(page: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor;
  } while (cursor !== undefined);
  return items;
}

async function segmentPage(cursor?: string) {
  return must(await api.GET('/v1/segments', { params: { query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } } }));
}

export type ListedSegment = Awaited<ReturnType<typeof segmentPage>>['items'][number];

/** The tenant's segments (a crew or an inspector reads them all; a district has hundreds). */
export function allSegments(): Promise<ListedSegment[]> {
  return allPages(segmentPage);
}
