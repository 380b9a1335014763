import * as z from 'zod';
import { Rulebook } from '../../../domain/rulebooks/schema';
import type { RulebookTemplate as RulebookTemplateRecord } from '../../../domain/rulebooks/templates';
import { ServiceType } from '../../../domain/service-types';
import type { RouteSpec } from '../../shared/route';

const tags = ['rulebooks'] as const;

/** The shipped template as the API shows it (domain/rulebooks/templates/template.ts). */
export const RulebookTemplate = z
  .object({
    templateId: z.string().describe('use as `rulebookTemplateId` when creating a contract'),
    version: z.number().int().positive().describe('bumped whenever the rulebook changes; a contract keeps the version it copied'),
    serviceType: ServiceType,
    titleZh: z.string(),
    title: z.string(),
    summary: z.string().describe('where the numbers come from and what the district should review'),
    rulebook: Rulebook,
  })
  .meta({ id: 'RulebookTemplate' });

// The document must describe what the use cases return: a compile error here means the two drifted apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type RulebookTemplateSchemaMatches = Holds<Same<z.infer<typeof RulebookTemplate>, RulebookTemplateRecord>>;

export const RulebookTemplateList = z
  .object({ items: z.array(RulebookTemplate).describe('every shipped template; a short fixed list, so never paged') })
  .meta({ id: 'RulebookTemplateList' });

const TemplateParams = z.object({ templateId: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'not a template id (e.g. cleaning-standard)') });

export const listRulebookTemplatesRoute = {
  operationId: 'listRulebookTemplates',
  method: 'GET',
  path: '/v1/rulebook-templates',
  summary: 'The shipped rulebook (考核办法) templates, at least one per service type',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'rulebook:read' },
  success: { status: 200, description: 'every template', schema: RulebookTemplateList },
  problems: [401, 403],
} as const satisfies RouteSpec;

export const getRulebookTemplateRoute = {
  operationId: 'getRulebookTemplate',
  method: 'GET',
  path: '/v1/rulebook-templates/{templateId}',
  summary: 'One rulebook template with its sources',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'rulebook:read' },
  params: TemplateParams,
  success: { status: 200, description: 'the template', schema: RulebookTemplate },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const validateRulebookRoute = {
  operationId: 'validateRulebook',
  method: 'POST',
  path: '/v1/rulebooks/validate',
  summary: 'Check a rulebook without storing it: the normalised rulebook, or 400 naming every failing field',
  description:
    'Bands must cover 0–100 without gaps or overlaps and coefficients never rise as the score falls; item codes unique; amounts non-negative. Nothing is written, so no Idempotency-Key is needed.',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'rulebook:write' },
  body: Rulebook,
  success: { status: 200, description: 'the rulebook with defaults filled in', schema: Rulebook },
  problems: [400, 401, 403, 413, 415],
} as const satisfies RouteSpec;

export const rulebookRoutes: readonly RouteSpec[] = [listRulebookTemplatesRoute, getRulebookTemplateRoute, validateRulebookRoute];
