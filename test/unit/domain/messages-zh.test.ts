import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { fieldMessageZh, fieldMessagesZh } from '../../../domain/messages-zh';
import { httpModules } from '../../../functions/http/manifest';
import type { RouteSpec } from '../../../functions/shared/route';

/**
 * Issue 14: a Chinese caller of the crew and inspector app reads every field message in
 * Chinese. zod's own messages have its zh-CN locale; a schema's own message wins over the
 * locale, so each must be in domain/messages-zh.ts. This walks the schemas of the app's routes
 * and collects every message a schema states itself (checks, formats, refinements).
 */

/**
 * The modules the field app calls, every route, and the contract reads it lists contracts with;
 * and the office console's supervision screens and the district's name (issue 15).
 */
const appModules = ['tasks', 'proofs', 'inspections', 'rectification', 'work-orders', 'rankings', 'notices', 'supervision', 'tenants'];
/** The console's export jobs (issue 16): the request and the job the finance screen polls. */
const exportOperations = ['exportStatement', 'getStatementExportJob'];
const appRoutes: RouteSpec[] = httpModules.flatMap((module) =>
  appModules.includes(module.name)
    ? [...module.routes]
    : module.name === 'contracts'
      ? module.routes.filter((spec) => spec.method === 'GET')
      : module.routes.filter((spec) => exportOperations.includes(spec.operationId)),
);

interface Node {
  readonly _zod?: { readonly def?: Record<string, unknown> & { readonly checks?: readonly Node[]; readonly error?: unknown } };
}

/** The messages a schema states itself, found by walking its definition (zod 4's `_zod.def`). */
function ownMessages(schema: unknown): string[] {
  const found: string[] = [];
  const seen = new Set<unknown>();
  const stated = (error: unknown): void => {
    if (typeof error !== 'function') return;
    const message: unknown = (error as (issue: unknown) => unknown)({ code: 'custom', input: undefined, path: [] });
    const text = typeof message === 'string' ? message : (message as { message?: unknown } | undefined)?.message;
    if (typeof text === 'string') found.push(text);
  };
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const def = (node as Node)._zod?.def;
    if (def === undefined) return;
    stated(def.error);
    for (const check of def.checks ?? []) stated(check._zod?.def?.error);
    const shape = def['shape'];
    if (typeof shape === 'object' && shape !== null) for (const child of Object.values(shape)) visit(child);
    for (const key of ['element', 'innerType', 'in', 'out', 'left', 'right', 'keyType', 'valueType', 'rest', 'catchall']) visit(def[key]);
    for (const key of ['options', 'items']) if (Array.isArray(def[key])) for (const child of def[key] as unknown[]) visit(child);
    if (def['type'] === 'lazy' && typeof def['getter'] === 'function') visit((def['getter'] as () => unknown)());
  };
  visit(schema);
  return found;
}

describe('field messages in Chinese', () => {
  it('walks real schemas: the control finds the messages of a proof id and a date', () => {
    // Act
    const proofs = appRoutes.find((spec) => spec.operationId === 'getProof');
    const tasks = appRoutes.find((spec) => spec.operationId === 'listContractTasks');

    // Assess
    expect(ownMessages(proofs?.params)).toContain('not a proof id (prf_ + 26 characters)');
    expect(ownMessages(tasks?.query as z.ZodType)).toContain('a date is YYYY-MM-DD and must be a real calendar day');
    expect(appRoutes.length).toBeGreaterThan(30);
  });

  it.each(appRoutes.map((spec) => [spec.operationId, spec] as const))('%s: every message its schemas state has its Chinese', (_name, spec) => {
    // Act
    const missing = [...new Set([spec.params, spec.query, spec.body].flatMap(ownMessages))].filter((message) => fieldMessageZh(message) === undefined);

    // Assess
    expect(missing).toEqual([]);
  });

  it('gives Chinese text for every entry, and nothing for a message it does not know', () => {
    expect(Object.values(fieldMessagesZh).every((zh) => /[\u4e00-\u9fff]/.test(zh))).toBe(true);
    expect(fieldMessageZh('toString')).toBeUndefined();
    expect(fieldMessageZh('no such message')).toBeUndefined();
  });
});
