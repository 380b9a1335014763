import { describe, expect, it } from 'vitest';
import { creditScore, emptyCreditHistory, neutralCreditX100 } from '../../../../domain/tenders/credit';

describe('creditScore', () => {
  it('gives a contractor without history the neutral 80.00 and says so', () => {
    // Act
    const credit = creditScore(emptyCreditHistory);

    // Assess
    expect(credit).toEqual({ valueX100: neutralCreditX100, neutral: true, formula: 'no assessed months in this tenant: neutral 80.00 (the lower bound of 良)' });
  });

  it('takes the mean monthly score less the late-rectification and complaint rates, each term rounded half-up', () => {
    // Prepare: mean 278.00 / 3 = 92.666… → 92.67; 2 x 2.00 / 3 = 1.333… → 1.33; 1 x 1.00 / 3 → 0.33.
    const history = {
      monthlyScores: [
        { month: '2025-01', scoreX100: 9_500 },
        { month: '2025-02', scoreX100: 9_000 },
        { month: '2025-03', scoreX100: 9_300 },
      ],
      lateRectifications: 2,
      validComplaints: 1,
      months: 3,
    };

    // Act
    const credit = creditScore(history);

    // Assess
    expect(credit).toEqual({
      valueX100: 9_101,
      neutral: false,
      formula:
        'mean of 3 monthly score(s) 92.67 − 2.00 × 2 late rectification(s) / 3 month(s) [1.33] − 1.00 × 1 valid complaint(s) / 3 month(s) [0.33] = 91.01',
    });
  });

  it('counts every contract-month of a contractor with two contracts in the mean', () => {
    // Prepare
    const history = {
      monthlyScores: [
        { month: '2025-02', scoreX100: 9_600 },
        { month: '2025-02', scoreX100: 8_800 },
      ],
      lateRectifications: 0,
      validComplaints: 0,
      months: 1,
    };

    // Act
    const credit = creditScore(history);

    // Assess
    expect(credit.valueX100).toBe(9_200);
  });

  it('clamps a score driven below zero to 0.00 and shows the unclamped figure', () => {
    // Prepare
    const history = { monthlyScores: [{ month: '2025-03', scoreX100: 500 }], lateRectifications: 10, validComplaints: 0, months: 1 };

    // Act
    const credit = creditScore(history);

    // Assess
    expect(credit.valueX100).toBe(0);
    expect(credit.formula).toContain('= -15.00, clamped to 0–100 = 0.00');
  });

  it('refuses a monthly score outside 0–100 as a wiring mistake', () => {
    // Prepare
    const history = { monthlyScores: [{ month: '2025-03', scoreX100: 10_100 }], lateRectifications: 0, validComplaints: 0, months: 1 };

    // Act
    const act = (): unknown => creditScore(history);

    // Assess
    expect(act).toThrow(RangeError);
  });
});
