import { cleaningStandardTemplate } from './cleaning';
import { greeningClass1Template } from './greening';
import { municipalRoadsTemplate } from './municipal';
import type { RulebookTemplate } from './template';

export type { RulebookTemplate } from './template';
export { cleaningStandardTemplate, greeningClass1Template, municipalRoadsTemplate };

/** Every shipped template, one or more per service type. */
export const rulebookTemplates: readonly RulebookTemplate[] = [cleaningStandardTemplate, greeningClass1Template, municipalRoadsTemplate];

/** The template with this id, or undefined. */
export function templateById(templateId: string): RulebookTemplate | undefined {
  return rulebookTemplates.find((template) => template.templateId === templateId);
}

/**
 * A contract's own copy of a template's rulebook, marked with the template and version it
 * came from. Deep-copied so no later change to the shipped constant can reach a contract.
 */
export function rulebookFromTemplate(template: RulebookTemplate): RulebookTemplate['rulebook'] {
  return { ...structuredClone(template.rulebook), basedOn: { templateId: template.templateId, templateVersion: template.version } };
}
