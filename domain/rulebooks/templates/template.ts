import type { ServiceType } from '../../service-types';
import type { Rulebook } from '../schema';

/**
 * A shipped starting point for a contract's rulebook. A contract copies the rulebook (see
 * contracts/contract.ts for why it is copied, never referenced) and records the template id
 * and version in `rulebook.basedOn`.
 */
export interface RulebookTemplate {
  /** Stable id used by `rulebookTemplateId` in contract inputs, e.g. `cleaning-standard`. */
  readonly templateId: string;
  /** Bumped whenever the rulebook below changes; copies keep the version they took. */
  readonly version: number;
  readonly serviceType: ServiceType;
  readonly titleZh: string;
  readonly title: string;
  /** One paragraph: where the numbers come from and what the district should review. */
  readonly summary: string;
  readonly rulebook: Rulebook;
}
