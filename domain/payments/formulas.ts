import { fen, formatX100, formatYuan } from '../money';
import { formatAreaX100 } from '../segments/area';

/**
 * The formula of a statement line in English and in Chinese, written from the same numbers by
 * one function per kind of line, so the two texts cannot disagree (issue 15 Finance: every
 * line with its formula, Chinese for the finance office). Amounts go through money.ts
 * `formatYuan` only; nothing here computes or rounds an amount — the caller (statement.ts)
 * passes the figures it computed.
 *
 * The English texts are the ones statements carried before `formulaZh` existed, byte for byte:
 * a diff between a stored computation and a new one compares `formula`, so a rewording would
 * show unchanged lines as changed. The Chinese follows domain/messages-zh.ts: full-width
 * （）：，；, 至 for a range of dates.
 */
export interface FormulaText {
  readonly en: string;
  readonly zh: string;
}

const yuan = (amountFen: number): string => formatYuan(fen(amountFen));

/** The amount A the score and the caps apply to (DESIGN §3: base + unit-rate). */
export interface AssessedAmount {
  readonly baseFen: number;
  readonly unitRateFen: number;
  readonly hasBase: boolean;
  readonly hasUnitRate: boolean;
}

export function assessedText(assessed: AssessedAmount): FormulaText {
  const total = assessed.baseFen + assessed.unitRateFen;
  if (assessed.hasBase && assessed.hasUnitRate) return { en: `(base + unit-rate ${yuan(total)})`, zh: `（基本服务费 + 计量服务费）${yuan(total)}` };
  if (assessed.hasBase) return { en: `base ${yuan(assessed.baseFen)}`, zh: `基本服务费 ${yuan(assessed.baseFen)}` };
  return { en: `unit-rate ${yuan(assessed.unitRateFen)}`, zh: `计量服务费 ${yuan(assessed.unitRateFen)}` };
}

/** The days a terms period covers in the month. */
export interface PeriodDays {
  readonly days: number;
  readonly daysInMonth: number;
  readonly from: string;
  readonly to: string;
  readonly termsVersion: number;
}

function daysText(period: PeriodDays): FormulaText {
  return {
    en: `${period.days} / ${period.daysInMonth} days (${period.from} – ${period.to}, terms v${period.termsVersion})`,
    zh: `履约天数 ${period.days}/${period.daysInMonth}（${period.from} 至 ${period.to}，合同条款第 ${period.termsVersion} 版）`,
  };
}

/** Lump sum: monthly price x days / days in month. */
export function lumpSumBaseFormula(period: PeriodDays, monthlyFen: number, amountFen: number): FormulaText {
  const days = daysText(period);
  return {
    en: `${yuan(monthlyFen)} per month × ${days.en} = ${yuan(amountFen)}`,
    zh: `基本价 ${yuan(monthlyFen)}/月 × ${days.zh} = ${yuan(amountFen)}`,
  };
}

/** Per m²: Σ area x yearly rate / 12 x days / days in month (contracts/pricing.ts `perM2Fen`). */
export function perM2BaseFormula(period: PeriodDays, area: { readonly totalAreaX100: number; readonly segments: number; readonly yuanPerM2Year: string }, amountFen: number): FormulaText {
  const days = daysText(period);
  const areaText = formatAreaX100(area.totalAreaX100);
  return {
    en: `${areaText} (${area.segments} segment(s)) × ${area.yuanPerM2Year} 元/m²·年 / 12 × ${days.en} = ${yuan(amountFen)}`,
    zh: `作业面积 ${areaText}（${area.segments} 个路段）× 单价 ${area.yuanPerM2Year} 元/m²·年 ÷ 12 × ${days.zh} = ${yuan(amountFen)}`,
  };
}

/** One accepted work order: quantity x unit price. */
export function unitRateFormula(
  item: { readonly code: string; readonly nameZh: string; readonly unit: string; readonly unitFen: number },
  quantity: { readonly accepted: string; readonly ordered?: string },
  amountFen: number,
): FormulaText {
  const changed = quantity.ordered === undefined ? { en: '', zh: '' } : { en: ` (ordered ${quantity.ordered}, changed at acceptance)`, zh: `（派单数量 ${quantity.ordered}，验收时调整）` };
  return {
    en: `${item.code} ${item.nameZh}: ${quantity.accepted} ${item.unit}${changed.en} × ${yuan(item.unitFen)} = ${yuan(amountFen)}`,
    zh: `${item.code} ${item.nameZh}：验收数量 ${quantity.accepted} ${item.unit}${changed.zh} × 单价 ${yuan(item.unitFen)} = ${yuan(amountFen)}`,
  };
}

/** The score, its band and the band's coefficient (rulebooks/rules.ts `bandFor`). */
export interface BandFacts {
  readonly scoreX100: number;
  readonly minScoreX100: number;
  readonly coefficientBps: number;
}

function bandText(band: BandFacts): FormulaText {
  return {
    en: `score ${formatX100(band.scoreX100)} in band ≥ ${formatX100(band.minScoreX100)} → coefficient ${band.coefficientBps}`,
    zh: `考核得分 ${formatX100(band.scoreX100)}，系数 ${band.coefficientBps}（≥ ${formatX100(band.minScoreX100)} 档）`,
  };
}

/** Bonus = min(A x (coefficient − 10000) / 10000, A x bonusCapBps / 10000). */
export function bonusFormula(
  band: BandFacts,
  assessed: FormulaText,
  bonus: { readonly rewardBps: number; readonly uncappedFen: number; readonly capBps?: number; readonly capFen: number; readonly bonusFen: number },
): FormulaText {
  const b = bandText(band);
  if (bonus.rewardBps === 0) return { en: `${b.en}: no reward`, zh: `${b.zh}：无奖励` };
  const noCap = bonus.capBps === undefined;
  return {
    en:
      `${b.en}: ${assessed.en} × ${bonus.rewardBps} / 10000 = ${yuan(bonus.uncappedFen)}` +
      (noCap ? '' : `, capped at ${assessed.en} × ${bonus.capBps} / 10000 = ${yuan(bonus.capFen)}`) +
      ` → ${yuan(bonus.bonusFen)}`,
    zh:
      `${b.zh}：${assessed.zh} × ${bonus.rewardBps} / 10000 = ${yuan(bonus.uncappedFen)}` +
      (noCap ? '' : `；奖励上限 ${assessed.zh} × ${bonus.capBps} / 10000 = ${yuan(bonus.capFen)}；计奖励 ${yuan(bonus.bonusFen)}`),
  };
}

/** Quality deduction = A x (10000 − coefficient) / 10000. */
export function qualityDeductionFormula(band: BandFacts, assessed: FormulaText, deduction: { readonly bps: number; readonly amountFen: number }): FormulaText {
  const b = bandText(band);
  if (deduction.bps === 0) return { en: `${b.en}: no deduction`, zh: `${b.zh}：不扣款` };
  return {
    en: `${b.en}: ${assessed.en} × (10000 − ${band.coefficientBps}) / 10000 = ${yuan(deduction.amountFen)}`,
    zh: `${b.zh}：${assessed.zh} × (10000 − ${band.coefficientBps}) / 10000 = ${yuan(deduction.amountFen)}`,
  };
}

export type FineKind = 'missed_tasks' | 'findings' | 'late_orders';

const fineWords: Readonly<Record<FineKind, { readonly en: string; readonly zh: string; readonly unitZh: string }>> = {
  missed_tasks: { en: 'missed task(s)', zh: '漏作业', unitZh: '次' },
  findings: { en: 'finding(s)', zh: '检查问题', unitZh: '项' },
  late_orders: { en: 'late order(s)', zh: '逾期整改', unitZh: '单' },
};

/** Fines: the sum of the fines of the counted records (integer fen, no rounding). */
export function fineFormula(kind: FineKind, count: number, totalFen: number): FormulaText {
  const w = fineWords[kind];
  if (count === 0) return { en: `no fined ${w.en}`, zh: `无${w.zh}罚款` };
  return { en: `Σ fines of ${count} ${w.en} = ${yuan(totalFen)}`, zh: `${w.zh} ${count} ${w.unitZh}，罚款合计 = ${yuan(totalFen)}` };
}

/** The deduction cap: quality + fines against A x deductionCapBps / 10000, the excess not taken. */
export function deductionCapFormula(
  assessed: FormulaText,
  cap: { readonly qualityFen: number; readonly finesFen: number; readonly beforeCapFen: number; readonly capBps: number; readonly capFen: number; readonly excessFen: number },
): FormulaText {
  const within = cap.excessFen <= 0;
  return {
    en:
      `quality ${yuan(cap.qualityFen)} + fines ${yuan(cap.finesFen)} = ${yuan(cap.beforeCapFen)}; ` +
      `cap ${assessed.en} × ${cap.capBps} / 10000 = ${yuan(cap.capFen)}` +
      (within ? ': within the cap' : `; ${yuan(cap.excessFen)} above the cap is not taken`),
    zh:
      `考核扣款 ${yuan(cap.qualityFen)} + 罚款 ${yuan(cap.finesFen)} = ${yuan(cap.beforeCapFen)}；` +
      `扣款上限 ${assessed.zh} × ${cap.capBps} / 10000 = ${yuan(cap.capFen)}` +
      (within ? '：未超过上限' : `；超出上限的 ${yuan(cap.excessFen)} 不扣`),
  };
}

/** Retention = (base + unit-rate + bonus − deductions taken) x retentionBps / 10000. */
export function retentionFormula(parts: {
  readonly baseFen: number;
  readonly unitRateFen: number;
  readonly bonusFen: number;
  readonly deductionsTakenFen: number;
  readonly retentionBps: number;
  readonly retentionFen: number;
}): FormulaText {
  return {
    en: `(base ${yuan(parts.baseFen)} + unit-rate ${yuan(parts.unitRateFen)} + bonus ${yuan(parts.bonusFen)} − deductions taken ${yuan(parts.deductionsTakenFen)}) × ${parts.retentionBps} / 10000 = ${yuan(parts.retentionFen)}`,
    zh: `（基本服务费 ${yuan(parts.baseFen)} + 计量服务费 ${yuan(parts.unitRateFen)} + 考核奖励 ${yuan(parts.bonusFen)} − 实际扣款 ${yuan(parts.deductionsTakenFen)}）× ${parts.retentionBps} / 10000 = ${yuan(parts.retentionFen)}`,
  };
}

/**
 * An adjustment carried from an approved month. The English keeps the correction's own text
 * (statement.ts `adjustmentFor`: the changed lines with their amounts); the Chinese states the
 * month, the approved version it corrects and the amount, the figures both texts share. The
 * adjustment's text is not widened with a Chinese twin because adjustments are inputs of the
 * computation (facts.ts `inputsDigest`): a new field there would change the digest of every
 * month carrying one, and an unchanged recompute would look changed.
 */
export function adjustmentFormula(adjustment: { readonly originMonth: string; readonly formula: string; readonly amountFen: number; readonly statementRefs?: readonly string[] }): FormulaText {
  const versions = (adjustment.statementRefs ?? []).map((ref) => /\/v(\d+)$/.exec(ref)?.[1]).filter((version): version is string => version !== undefined);
  const which = versions.length === 0 ? `${adjustment.originMonth} 结算单` : `${adjustment.originMonth} 结算单第 ${versions.join('、')} 版`;
  return {
    en: `from ${adjustment.originMonth}: ${adjustment.formula}`,
    zh: `${which}批准后依据补充记录重新计算，应付金额差额 = ${yuan(adjustment.amountFen)}`,
  };
}
