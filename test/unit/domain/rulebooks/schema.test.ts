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

describe('Rulebook kpiTargets (issue 15)', () => {
  it('ships the seed\'s targets in every template: 95 % on-time rectification, 85 % complaints, 98 % tasks', () => {
    for (const template of rulebookTemplates) {
      expect(Rulebook.parse(template.rulebook).kpiTargets).toEqual({ taskCompletionBps: 9_800, onTimeRectificationBps: 9_500, complaintResolutionBps: 8_500 });
    }
  });

  it('accepts a rulebook without targets (one written before them)', () => {
    const { kpiTargets: _dropped, ...older } = rulebookFromTemplate(cleaningStandardTemplate);

    const parsed = Rulebook.safeParse(older);

    expect(parsed.success).toBe(true);
    expect(parsed.data?.kpiTargets).toBeUndefined();
  });

  it('refuses a target above 100 %, a fraction, zero and an unknown KPI, naming each field', () => {
    const rulebook = { ...rulebookFromTemplate(cleaningStandardTemplate), kpiTargets: { taskCompletionBps: 10_001, onTimeRectificationBps: 95.5, complaintResolutionBps: 0, satisfactionBps: 9_000 } };

    const parsed = Rulebook.safeParse(rulebook);

    expect(parsed.success).toBe(false);
    const paths = (parsed.error?.issues ?? []).map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['kpiTargets.taskCompletionBps', 'kpiTargets.onTimeRectificationBps', 'kpiTargets.complaintResolutionBps', 'kpiTargets']));
  });
});
