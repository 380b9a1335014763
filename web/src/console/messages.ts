/**
 * Labels of the console. Each area keeps its own dictionary (`messages({...})`), so areas grow
 * without touching one shared file; the language is the field app's (i18n.ts), switched once.
 */
import { language } from '../i18n';

export interface Text {
  readonly zh: string;
  readonly en: string;
}

export type Translate<K extends string> = (key: K, values?: Readonly<Record<string, string | number>>) => string;

/** A dictionary's translate function: `{name}` placeholders filled, current language. */
export function messages<K extends string>(dictionary: Readonly<Record<K, Text>>): Translate<K> {
  return (key, values = {}) => dictionary[key][language()].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** The shell's own labels. */
export const ct = messages({
  consoleName: { zh: '绣花 · 管理端', en: 'Xiuhua Console' },
  areaProcurement: { zh: '采购', en: 'Procurement' },
  areaFinance: { zh: '财务', en: 'Finance' },
  areaSupervision: { zh: '监管', en: 'Supervision' },
  fieldApp: { zh: '现场应用', en: 'Field app' },
  notForRole: { zh: '管理端面向采购、财务、巡查和管理员；作业单位请使用现场应用。', en: 'The console is for procurement, finance, inspectors and administrators; crews use the field app.' },
  notFound: { zh: '没有这个页面。', en: 'No such page.' },
  signedInAs: { zh: '{name}（{roles}）', en: '{name} ({roles})' },
  skipToContent: { zh: '跳到正文', en: 'Skip to content' },
  working: { zh: '处理中…', en: 'Working…' },
  done: { zh: '已完成', en: 'Done' },
  confirm: { zh: '确认', en: 'Confirm' },
  cancel: { zh: '取消', en: 'Cancel' },
  none: { zh: '无', en: 'None' },
  total: { zh: '合计', en: 'Total' },
});
