import { z } from 'zod';

/**
 * DESIGN §1 service types (作业类别). Contracts and rulebooks carry one; it lives in its own
 * file so that rulebooks can name it without importing the contract module.
 *
 * domain/tenders/schema.ts defines the same enum with OpenAPI id `ServiceType`; this copy
 * has no id because two schemas with one id break the OpenAPI generation. Both should import
 * one shared definition (domain/service-types.ts) once the lead moves it there.
 */
export const serviceTypes = ['cleaning', 'greening', 'municipal'] as const;
export const ServiceType = z.enum(serviceTypes).describe('cleaning 环卫保洁, greening 绿化养护, municipal 市政设施维护');
export type ServiceType = z.infer<typeof ServiceType>;
