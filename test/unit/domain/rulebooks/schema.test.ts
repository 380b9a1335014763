import { describe, expect, it } from 'vitest';
import { maxRulebookBytes, Rulebook, rulebookBytes } from '../../../../domain/rulebooks/schema';
import { cleaningStandardTemplate, rulebookFromTemplate, rulebookTemplates } from '../../../../domain/rulebooks/templates';
import { paddedRulebook } from '../../../fixtures/large-rulebook';

describe('Rulebook byte budget', () => {
  it('keeps every shipped template far below the budget', () => {
    for (const template of rulebookTemplates) expect(rulebookBytes(template.rulebook)).toBeLessThan(maxRulebookBytes / 10);
  });

  it('accepts a large rulebook within 256 KiB', () => {
    const large = paddedRulebook(170);

    const parsed = Rulebook.safeParse(large);

    expect(rulebookBytes(large)).toBeGreaterThan(200_000);
    expect(parsed.success).toBe(true);
  });

  it('refuses a schema-valid rulebook of ~680 KB (500 items of long Chinese text) at the rulebook itself, with its size', () => {
    const huge = paddedRulebook(500 - rulebookFromTemplate(cleaningStandardTemplate).defectItems.length);

    const parsed = Rulebook.safeParse(huge);

    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues.find((candidate) => candidate.message.includes('bytes as JSON'));
    expect(issue?.path).toEqual([]);
    expect(issue?.message).toContain(`${rulebookBytes(huge)} bytes`);
    expect(issue?.message).toContain(String(maxRulebookBytes));
  });
});
