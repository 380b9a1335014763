import { describe, expect, it } from 'vitest';
import { fromFenPer100M2Month, perM2Fen } from '../../../../domain/contracts/pricing';
import { ContractPricing, CreateContractInput } from '../../../../domain/contracts/schema';
import { templateById } from '../../../../domain/rulebooks/templates';
import { cleaningInput, seg } from './fixtures';

const issuePaths = (input: unknown): string[] => CreateContractInput.safeParse(input).error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('CreateContractInput', () => {
  it('accepts a direct lump-sum contract naming a rulebook template', () => {
    const result = CreateContractInput.safeParse(cleaningInput());

    expect([result.success, result.data?.origin]).toEqual([true, { kind: 'direct' }]);
  });

  it('refuses an end date before the start date', () => {
    expect(issuePaths(cleaningInput({ startDate: '2025-12-31', endDate: '2025-03-01' }))).toEqual(['endDate']);
  });

  it('refuses a date that is not on the calendar', () => {
    expect(issuePaths(cleaningInput({ endDate: '2025-02-29' }))).toEqual(['endDate']);
  });

  it('refuses both a rulebook and a template id', () => {
    const input = cleaningInput({ rulebook: templateById('cleaning-standard')!.rulebook });

    expect(issuePaths(input)).toEqual(['rulebook']);
  });

  it('refuses neither a rulebook nor a template id', () => {
    const { rulebookTemplateId: _template, ...input } = cleaningInput();

    expect(issuePaths(input)).toEqual(['rulebook']);
  });

  it("refuses a rulebook for another service type, naming the rulebook's field", () => {
    const { rulebookTemplateId: _template, ...input } = cleaningInput();

    expect(issuePaths({ ...input, rulebook: templateById('greening-class1')!.rulebook })).toEqual(['rulebook.serviceType']);
  });

  it('names the failing field deep inside an inline rulebook', () => {
    const { rulebookTemplateId: _template, ...input } = cleaningInput();
    const rulebook = structuredClone(templateById('cleaning-standard')!.rulebook);
    rulebook.scoreBands[2]!.coefficientBps = 10_050;

    expect(issuePaths({ ...input, rulebook })).toEqual(['rulebook.scoreBands.2.coefficientBps']);
  });

  it('de-duplicates and sorts the scope so that equal scopes compare equal', () => {
    const parsed = CreateContractInput.parse(cleaningInput({ scope: [seg.shimenOne, seg.nanjingWest, seg.shimenOne] }));

    expect(parsed.scope).toEqual([seg.nanjingWest, seg.shimenOne]);
  });

  it('refuses a segment id of the wrong shape', () => {
    expect(issuePaths(cleaningInput({ scope: ['南京西路'] }))).toEqual(['scope.0']);
  });
});

describe('ContractPricing', () => {
  it('refuses a per-m² rate given in yuan with decimals', () => {
    expect(ContractPricing.safeParse({ kind: 'lump_sum_per_m2', milliFenPerM2Year: 6.29 }).success).toBe(false);
  });

  it('refuses a rate card with a repeated item code', () => {
    const result = ContractPricing.safeParse({
      kind: 'unit_rate',
      items: [
        { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 120_000 },
        { code: 'M-01', nameZh: '井盖调平', unit: '个', unitFen: 45_000 },
      ],
    });

    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['items.1.code']);
  });
});

describe('per-m² pricing', () => {
  it("prices a full month of 10 000 m² at Boluo's 6.29 元/m²·年 as 5 241.67 元", () => {
    expect(perM2Fen(1_000_000, 629_000, 31, 31)).toBe(524_167);
  });

  it('prorates by the days in scope, rounding once', () => {
    // 10 000 m² x 6.29 元 / 12 x 15 / 31 = 2 536.29 元
    expect(perM2Fen(1_000_000, 629_000, 15, 31)).toBe(253_629);
  });

  it("converts the tenders module's fen per 100 m² per month exactly", () => {
    // 0.8450 元/m²·月 = 8 450 fen per 100 m² per month = 10.14 元/m²·年
    expect(fromFenPer100M2Month(8_450)).toBe(1_014_000);
  });
});
