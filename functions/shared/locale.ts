/**
 * The caller's language (issue 13): Chinese first. `Accept-Language` (RFC 9110 §12.5.4) is
 * read with its q-values; the first supported tag wins, `zh`, `zh-CN`, `zh-Hans` and friends
 * all meaning zh-CN. No header, or none supported, is English: the API's historical language,
 * so existing clients see no change.
 */
export type Locale = 'zh-CN' | 'en';

export const locales: readonly Locale[] = ['zh-CN', 'en'];

/** The locale `Accept-Language` asks for; `en` when absent or unsupported. */
export function localeOf(headers: Readonly<Record<string, string | undefined>> | undefined): Locale {
  const value = headers?.['accept-language'] ?? headers?.['Accept-Language'];
  if (value === undefined || value.trim() === '') return 'en';
  const ranked = value
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** Picks the text for `locale`: the Chinese one when asked for and given, else the English. */
export function localized(locale: Locale, en: string, zh: string | undefined): string {
  return locale === 'zh-CN' && zh !== undefined ? zh : en;
}
