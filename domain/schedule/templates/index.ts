import type { ServiceType } from '../../service-types';
import type { ServiceStandard } from '../standard';
import { cleaningStandard } from './cleaning';
import { greeningStandard } from './greening';
import { municipalStandard } from './municipal';

export { cleaningStandard, greeningStandard, municipalStandard };

/** Every shipped standard, one per service type; the rulebook templates price their activities. */
export const standardTemplates: readonly ServiceStandard[] = [cleaningStandard, greeningStandard, municipalStandard];

/** The shipped standard with this id, or undefined. */
export function standardTemplateById(standardId: string): ServiceStandard | undefined {
  return standardTemplates.find((standard) => standard.standardId === standardId);
}

/** The shipped standard of a service type. */
export function standardTemplateFor(serviceType: ServiceType): ServiceStandard {
  const standard = standardTemplates.find((candidate) => candidate.serviceType === serviceType);
  if (standard === undefined) throw new RangeError(`no shipped standard for ${serviceType}`);
  return standard;
}

/**
 * A tenant's own copy of a shipped standard, marked with where it came from; deep-copied so
 * no later change to the shipped constant reaches a contract (as rulebooks are copied).
 */
export function standardFromTemplate(template: ServiceStandard, standardId: string = template.standardId, version = 1): ServiceStandard {
  return { ...structuredClone(template), standardId, version, basedOn: { templateId: template.standardId, templateVersion: template.version } };
}
