/**
 * The Chinese (zh-CN) of the field messages that schemas state themselves (issue 14), keyed by
 * the English text as the schema states it (interpolated values included, so the text is the
 * one a caller gets). zod's own messages ("Too small", "Invalid input") have zh-CN through
 * zod's locale; a schema's own message wins over the locale (as zod decides), so without this
 * table a Chinese caller read "not a proof id" in English. `functions/shared/http.ts` and
 * `./validation.ts` look a message up here when the Chinese parse gives the English back.
 *
 * Covered: every message of the routes the crew and inspector app uses (tasks, uploads,
 * proofs, the flagged-proof queue, inspections, rectification orders, work orders, contracts'
 * reads) and of the office console's supervision screens (rankings, notices, supervision; issue
 * 15) and its statement exports (the export jobs of issue 16); test/unit/domain/messages-zh.test.ts walks those routes' schemas and fails for a
 * message missing here. A message not listed stays English under a Chinese title.
 */
export const fieldMessagesZh: Readonly<Record<string, string>> = {
  // ids
  'not a contract id (con_ + 26 characters)': '不是合同编号（con_ 加 26 个字符）',
  'not a contract id': '不是合同编号',
  'not a contractor id (ctr_ + 16 characters)': '不是作业单位编号（ctr_ 加 16 个字符）',
  'not a segment id': '不是路段编号',
  "a segment id looks like 'seg_' followed by 10–40 lower-case letters or digits": "路段编号形如 'seg_' 加 10–40 个小写字母或数字",
  'not a proof id (prf_ + 26 characters)': '不是作业凭证编号（prf_ 加 26 个字符）',
  'not an evidence id (ev_ + 32 hex digits)': '不是照片编号（ev_ 加 32 位十六进制数字）',
  'not an evidence id': '不是照片编号',
  'not an inspection id': '不是检查记录编号',
  "a rectification order id looks like 'rec_' followed by 26 lower-case letters or digits": "整改通知书编号形如 'rec_' 加 26 个小写字母或数字",
  "a work order id looks like 'wo_' followed by 26 lower-case letters or digits": "工单编号形如 'wo_' 加 26 个小写字母或数字",
  'not an export job id (exj_ + 26 characters)': '不是导出任务编号（exj_ 加 26 个字符）',
  // dates, months, instants
  'a date is YYYY-MM-DD and must be a real calendar day': '日期格式为 YYYY-MM-DD，且须为真实存在的日期',
  'a date between 2000-01-01 and 2099-12-31 is expected': '日期须在 2000-01-01 至 2099-12-31 之间',
  'a month is YYYY-MM between 2000-01 and 2099-12 (e.g. 2026-11)': '月份格式为 YYYY-MM，须在 2000-01 至 2099-12 之间（例如 2026-11）',
  'a month is YYYY-MM (e.g. 2025-03)': '月份格式为 YYYY-MM（例如 2025-03）',
  'an ISO 8601 instant with its offset, e.g. 2026-11-23T05:10:00+08:00': '须为带时区偏移的 ISO 8601 时间，例如 2026-11-23T05:10:00+08:00',
  'an ISO 8601 instant with its offset is expected, e.g. 2026-11-23T05:10:00+08:00': '须为带时区偏移的 ISO 8601 时间，例如 2026-11-23T05:10:00+08:00',
  'an instant is ISO 8601 with a zone offset, e.g. 2026-03-01T18:00:00+08:00': '须为带时区偏移的 ISO 8601 时间，例如 2026-03-01T18:00:00+08:00',
  'an instant is at most 40 characters': '时间最多 40 个字符',
  'an instant between 2000 and 2099 is expected': '时间须在 2000 年至 2099 年之间',
  // reasons, photos, quantities
  'say why': '请说明理由',
  'a reopening needs a reason': '重新开启须说明理由',
  'an answer needs at least one photo': '整改回复须至少附一张照片',
  'a completion needs at least one photo': '完工须至少附一张照片',
  'quantities are integer thousandths of the unit (1.5 m² = 1500)': '数量以单位的千分之一计，须为整数（1.5 m² 记为 1500）',
  'a quantity must be positive': '数量必须大于零',
  'a quantity may not exceed 1 000 000 units (1000000000 thousandths)': '数量不得超过 1 000 000 个单位（1000000000 千分之一单位）',
  // inspections
  'at most 50 rated items': '最多 50 个评分项',
  'give exactly one of contractId or segmentId': 'contractId 与 segmentId 须给出且只给出其中一个',
  'give serviceType (or contractId)': '请给出 serviceType（或 contractId）',
  // the office console's supervision screens (issue 15): rankings and the performance series
  'a quarter is YYYY-Qn between 2000-Q1 and 2099-Q4 (e.g. 2026-Q4)': '季度格式为 YYYY-Qn，须在 2000-Q1 至 2099-Q4 之间（例如 2026-Q4）',
  'give exactly one of month and quarter': 'month 与 quarter 须给出且只给出其中一个',
  'months is a whole number': 'months 须为整数',
  'months is at least 1': 'months 至少为 1',
  'months is at most 24': 'months 最多为 24',
};

/** The Chinese of a schema's own field message, when this table has it. */
export function fieldMessageZh(message: string): string | undefined {
  return Object.hasOwn(fieldMessagesZh, message) ? fieldMessagesZh[message] : undefined;
}
