import type { z } from 'zod';
import { ValidationError } from '../errors';

/**
 * Parses a use case's input with its schema and turns a failure into the domain's
 * ValidationError (400 naming each field, paths prefixed `body.` as the HTTP layer does), so a
 * caller that skipped the HTTP validation (another use case, a job, a test) gets the same
 * answer instead of a ZodError that would surface as a 500.
 *
 * Belongs in a shared domain file (see the report); it lives here until the lead moves it.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: [prefix, ...issue.path.map(String)].join('.'), message: issue.message }));
  throw new ValidationError(`${issues.length} field(s) failed validation`, issues, { cause: result.error });
}
