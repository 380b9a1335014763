import * as z from 'zod';

/**
 * DESIGN §1 service types (作业类别). One definition for tenders, contracts and rulebooks, so
 * the OpenAPI document has one `ServiceType` component and an award's service type is the
 * contract's by construction.
 */
export const serviceTypes = ['cleaning', 'greening', 'municipal'] as const;
export const ServiceType = z.enum(serviceTypes).meta({
  id: 'ServiceType',
  description: 'cleaning 环卫保洁, greening 绿化养护, municipal 市政设施维护',
});
export type ServiceType = z.infer<typeof ServiceType>;
