import type * as z from 'zod';
import { ValidationError, type FieldIssue } from './errors';

/**
 * Parses a use case's input with its schema and turns a failure into the domain's
 * ValidationError naming each field, so a caller that skipped the HTTP validation (another
 * use case, a job, a test) gets the same 400 instead of a ZodError that would surface as a
 * 500.
 *
 * `prefix` says where the value sits in a request, as the HTTP layer names it (`body`,
 * `query`): paths read `body.lots.0.name`. An empty prefix leaves the paths relative to the
 * value (`lots.0.name`), for use cases whose other issues are relative too.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    return { path: (prefix === '' ? path : [prefix, ...path]).join('.'), message: issue.message };
  });
  throw new ValidationError(`${issues.length} field(s) failed validation`, issues, { cause: result.error });
}
