import { describe, expect, it } from 'vitest';
import { fenInCapitals } from '../../../web/src/console/finance/capitals';

describe('fenInCapitals (人民币大写 on the printed 结算单)', () => {
  it.each([
    [44_232_000, '人民币肆拾肆万贰仟叁佰贰拾元整'],
    [0, '人民币零元整'],
    [5, '人民币伍分'],
    [105, '人民币壹元零伍分'],
    [150, '人民币壹元伍角整'],
    [1_000, '人民币壹拾元整'],
    [100_500, '人民币壹仟零伍元整'],
    [105_000, '人民币壹仟零伍拾元整'],
    [10_050_000, '人民币壹拾万零伍佰元整'],
    [1_000_000_000, '人民币壹仟万元整'],
    [10_000_000_100, '人民币壹亿零壹元整'],
    [58_200_000, '人民币伍拾捌万贰仟元整'],
    [-30_000, '负人民币叁佰元整'],
  ])('%i fen → %s', (fen, words) => {
    // Act
    const result = fenInCapitals(fen);

    // Assess
    expect(result).toBe(words);
  });

  it('refuses a fraction of a fen', () => {
    // Assess
    expect(() => fenInCapitals(1.5)).toThrow(RangeError);
  });
});
