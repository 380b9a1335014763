import * as z from 'zod';
import { defaultZone } from '../dates';

/** A district authority (区 / 城市管理局): every record belongs to one. */
export const Tenant = z
  .object({
    tenantId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/),
    name: z.string().min(1).max(100),
    /** IANA zone for every local time of the tenant (windows, deadlines, months). */
    zone: z.string().default(defaultZone),
    createdAt: z.string(),
  })
  .meta({ id: 'Tenant' });
export type Tenant = z.infer<typeof Tenant>;
