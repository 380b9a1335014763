import * as z from 'zod';

/** Schemas shared by every module's routes: pagination, versions, problems. */

export const maxPageSize = 200;

/**
 * Largest request body in bytes unless a route sets `maxBodyBytes` (1 MiB). The HTTP stack
 * refuses a larger one with 413 (functions/shared/http.ts) and the OpenAPI document shows the
 * same figure per operation (`x-max-body-bytes`, functions/shared/openapi.ts).
 */
export const defaultMaxBodyBytes = 1024 * 1024;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(50).describe(`page size, 1–${maxPageSize}`),
  cursor: z.string().min(1).max(2048).optional().describe('opaque cursor from the previous page'),
});

export function pageOf<T extends z.ZodType>(item: T, id: string): z.ZodType {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().optional().describe('absent on the last page'),
    })
    .meta({ id });
}

export const Problem = z
  .object({
    type: z.string().describe('URI identifying the problem type'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('for validation problems: each failing field and why'),
    conflicts: z
      .array(z.object({ segmentId: z.string(), otherContractId: z.string(), overlapFrom: z.string(), overlapTo: z.string() }))
      .optional()
      .describe('for scope overlaps (409): each segment already held, by which contract, from and to which date (inclusive)'),
    rules: z.array(z.string()).optional().describe('for a refused step (409): the rules that refuse it, e.g. `reviewer-not-approver`; the detail names the user and the dates'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof Problem>;
