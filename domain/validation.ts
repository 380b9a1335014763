import type * as z from 'zod';
import zodZhCN from 'zod/v4/locales/zh-CN.js';
import { ValidationError, type FieldIssue } from './errors';
import { fieldMessageZh } from './messages-zh';

/**
 * Parses a use case's input with its schema and turns a failure into the domain's
 * ValidationError naming each field, so a caller that skipped the HTTP validation (another
 * use case, a job, a test) gets the same 400 instead of a ZodError that would surface as a
 * 500.
 *
 * `prefix` says where the value sits in a request, as the HTTP layer names it (`body`,
 * `query`): paths read `body.lots.0.name`. An empty prefix leaves the paths relative to the
 * value (`lots.0.name`), for use cases whose other issues are relative too.
 *
 * Each issue carries its Chinese (issue 14), as the HTTP edge's do: zod's zh-CN message, or
 * for a schema's own message its entry in ./messages-zh.ts; the detail too.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Only a refused input is parsed again, with zod's Chinese messages (never installed globally).
  const inChinese = schema.safeParse(value, { error: zhErrorMap() }).error?.issues ?? [];
  const issues: FieldIssue[] = result.error.issues.map((issue, index) => {
    const path = issue.path.map(String);
    const twin = inChinese[index];
    const same = twin !== undefined && twin.path.map(String).join('.') === path.join('.');
    const zh = !same ? undefined : twin.message !== issue.message ? twin.message : fieldMessageZh(issue.message);
    return { path: (prefix === '' ? path : [prefix, ...path]).join('.'), message: issue.message, ...(zh === undefined ? {} : { zh }) };
  });
  throw new ValidationError(`${issues.length} field(s) failed validation`, issues, { cause: result.error, zh: `${issues.length} 个字段未通过校验` });
}

let zhErrors: z.core.$ZodErrorMap | undefined;
function zhErrorMap(): z.core.$ZodErrorMap {
  zhErrors ??= zodZhCN().localeError;
  return zhErrors;
}
