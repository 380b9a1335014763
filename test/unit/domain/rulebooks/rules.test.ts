import { describe, expect, it } from 'vitest';
import {
  coefficientBps,
  diffRulebooks,
  dustExcessSamples,
  missedTaskPrice,
  repeatFactorBps,
  sampleScoreDeductionX100,
  sampleScoreX100,
} from '../../../../domain/rulebooks/rules';
import { templateById } from '../../../../domain/rulebooks/templates';

const cleaning = templateById('cleaning-standard')!.rulebook;
const greening = templateById('greening-class1')!.rulebook;
const municipal = templateById('municipal-roads')!.rulebook;
const sampleProtocol = cleaning.protocols.sampleScore!;

describe('coefficientBps', () => {
  it('pays the full fee at exactly 95.00 under the DESIGN bands', () => {
    expect(coefficientBps(greening, 9_500)).toBe(10_000);
  });

  it('drops to the next band at 94.99', () => {
    expect(coefficientBps(greening, 9_499)).toBe(9_800);
  });

  it('pays the floor coefficient at a score of 0', () => {
    expect(coefficientBps(greening, 0)).toBe(8_000);
  });

  it('pays the reward coefficient from 98.00 in the municipal template', () => {
    expect(coefficientBps(municipal, 9_800)).toBe(10_200);
  });
});

describe('missedTaskPrice', () => {
  it("uses the activity's own row", () => {
    expect(missedTaskPrice(cleaning, 'sweep')).toEqual({ pointsX100: 100, fineFen: 10_000 });
  });

  it('falls back to the default for an activity without a row', () => {
    expect(missedTaskPrice(cleaning, 'snow_clear')).toEqual({ pointsX100: 50, fineFen: 5_000 });
  });
});

describe('repeatFactorBps', () => {
  it('charges each finding once without escalation', () => {
    expect(repeatFactorBps({}, 3)).toBe(10_000);
  });

  it('charges the third finding three times under linear escalation', () => {
    expect(repeatFactorBps({ escalation: { kind: 'linear' } }, 3)).toBe(30_000);
  });

  it('charges the first finding once under a multiplier', () => {
    expect(repeatFactorBps({ escalation: { kind: 'multiplier', multiplierBps: 15_000 } }, 1)).toBe(10_000);
  });

  it('charges a repeat the multiplier', () => {
    expect(repeatFactorBps({ escalation: { kind: 'multiplier', multiplierBps: 15_000 } }, 2)).toBe(15_000);
  });
});

describe('sample score (CJJ/T 126 style)', () => {
  it('scores 100.00 when every item is rated 5', () => {
    const ratings = { overall: 5, surface: 5, edges: 5, gullies: 5 };

    expect(sampleScoreX100(sampleProtocol, [ratings])).toBe(10_000);
  });

  it('averages both sides of the road, rounding half-up once', () => {
    // 6·4 + 6·4 + 4·3 + 4·5 = 80 and 6·5 + 6·4 + 4·4 + 4·4 = 86 → mean 83.00
    const north = { overall: 4, surface: 4, edges: 3, gullies: 5 };
    const south = { overall: 5, surface: 4, edges: 4, gullies: 4 };

    expect(sampleScoreX100(sampleProtocol, [north, south])).toBe(8_300);
  });

  it('rounds the mean half-up to the hundredth', () => {
    // 100 + 100 + 96 = 296; 296 / 3 = 98.666… → 98.67
    const full = { overall: 5, surface: 5, edges: 5, gullies: 5 };
    const edgeDown = { overall: 5, surface: 5, edges: 4, gullies: 5 };

    expect(sampleScoreX100(sampleProtocol, [full, full, edgeDown])).toBe(9_867);
  });

  it('deducts 1.00 point for a sample scoring 83.00 in the cleaning template', () => {
    expect(sampleScoreDeductionX100(sampleProtocol, 8_300)).toBe(100);
  });

  it('refuses a rating above the maximum', () => {
    expect(() => sampleScoreX100(sampleProtocol, [{ overall: 6, surface: 5, edges: 5, gullies: 5 }])).toThrow(RangeError);
  });
});

describe('dustExcessSamples (以克论净)', () => {
  it('counts only samples above 10 g/m² on a 1 m² frame', () => {
    const protocol = cleaning.protocols.dustByWeight!;

    expect(dustExcessSamples(protocol, [9_500, 10_000, 10_200])).toBe(1);
  });
});

describe('diffRulebooks', () => {
  it('lists item codes added, removed and changed, and the sections that changed', () => {
    // Prepare
    const before = cleaning;
    const after = {
      ...cleaning,
      retentionBps: 300,
      defectItems: [
        ...cleaning.defectItems.filter((item) => item.code !== 'CL-UNIFORM').map((item) => (item.code === 'CL-LITTER' ? { ...item, pointsX100: 100 } : item)),
        { code: 'CL-SNOW', category: 'road_cleanliness', descriptionZh: '积雪未及时清除', pointsX100: 200, fineFen: 0 },
      ],
    };
    // Act
    const diff = diffRulebooks(before, after);
    // Assess
    expect(diff).toEqual({ changed: true, itemsAdded: ['CL-SNOW'], itemsRemoved: ['CL-UNIFORM'], itemsChanged: ['CL-LITTER'], sectionsChanged: ['retentionBps'] });
  });

  it('reports no change for a structurally equal copy', () => {
    expect(diffRulebooks(cleaning, structuredClone(cleaning)).changed).toBe(false);
  });
});
