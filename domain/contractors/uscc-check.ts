/**
 * The unified social credit code (统一社会信用代码) of GB 32100-2015 《法人和其他组织统一社会信用代码
 * 编码规则》: 18 characters —
 *
 * | position | part | rule |
 * |---|---|---|
 * | 1 | 登记管理部门代码 registration authority | one of `registrationAuthorities` |
 * | 2 | 机构类别代码 organisation type | one of that authority's types |
 * | 3–8 | 登记管理机关行政区划码 administrative division | 6 digits (GB/T 2260) |
 * | 9–17 | 主体标识码 organisation code | 9 characters (GB 11714, its own check character last) |
 * | 18 | 校验码 check character | GB 32100-2015 clause 4.5 / GB/T 17710 (ISO 7064 MOD 31-3) |
 *
 * Pure (no zod, no I/O), so the console checks a code as it is typed with the very rule the API
 * applies (uscc.ts wraps it in the request schema).
 *
 * Only the position-18 check refuses a code. The GB 11714 check of positions 9–17 is reported
 * (`organizationCodeCheckPasses`) but does not refuse: GB 32100 makes position 18 the code's
 * check, and that one already catches every single wrong character, so refusing on the inner
 * check would add little detection and would lock out any registered company whose inner
 * check happens not to hold, with no way around it for the user.
 */

/** The code's 31 characters: digits and capitals without I, O, Z, S, V (GB 32100-2015 §4.1). The index is the value. */
export const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** W_i = 3^(i-1) mod 31 for i = 1..17 (GB 32100-2015 clause 4.5). */
export const usccWeights: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let weight = 1;
  for (let k = 0; k < i; k += 1) weight = (weight * 3) % 31;
  return weight;
});

/**
 * Registration authorities (position 1) and their organisation types (position 2), as
 * GB 32100-2015's code table stands with its amendments (A for the Central Military Commission's
 * establishment office, N for agriculture). Source: the table as reproduced in
 * https://osuse.cn/post/10002590.html and https://blog.csdn.net/lh1424573495/article/details/108776492.
 * New authorities are added by amendment of the standard: extend this table then.
 */
export const registrationAuthorities: Readonly<Record<string, { readonly nameZh: string; readonly types: Readonly<Record<string, string>> }>> = {
  '1': { nameZh: '机构编制', types: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { nameZh: '外交', types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': { nameZh: '司法行政', types: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' } },
  '4': { nameZh: '文化', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { nameZh: '民政', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { nameZh: '旅游', types: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { nameZh: '宗教', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { nameZh: '工会', types: { '1': '基层工会', '9': '其他' } },
  '9': { nameZh: '工商', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { nameZh: '中央军委改革和编制办公室', types: { '1': '军队事业单位', '9': '其他' } },
  N: { nameZh: '农业', types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { nameZh: '其他', types: { '1': '不再具体划分机构类别' } },
};

/** What a valid code says about its holder. */
export interface UsccParts {
  readonly registrationAuthority: string;
  readonly registrationAuthorityZh: string;
  readonly organizationType: string;
  readonly organizationTypeZh: string;
  /** GB/T 2260 code of the registering authority's division, e.g. `440300` (深圳市). */
  readonly divisionCode: string;
  /** Positions 9–17: the GB 11714 organisation code (主体标识码). */
  readonly organizationCode: string;
  /** Whether position 17 is the GB 11714-1997 check character of positions 9–16 (informative only, see the module note). */
  readonly organizationCodeCheckPasses: boolean;
}

export type UsccFailureReason = 'length' | 'character' | 'check';

export type UsccResult =
  | { readonly ok: true; readonly normalized: string; readonly parts: UsccParts }
  | {
      readonly ok: false;
      readonly reason: UsccFailureReason;
      readonly message: string;
      readonly normalized: string;
      /** The failing character's position (1–18), for `character` and `check`. */
      readonly position?: number;
      /** The character the check expects at position 18, for `check`. */
      readonly expected?: string;
    };

const digits = '0123456789';
const neverUsed = new Set(['I', 'O', 'Z', 'S', 'V']);
const usccLength = 18;

/**
 * Input as people type it: NFKC folds full-width characters from a Chinese input method
 * (`９１３５…`) to ASCII, then trim and upper-case. Inner spaces are kept so that they are
 * refused with their position rather than silently joined.
 */
export function normalizeUscc(input: string): string {
  return input.normalize('NFKC').trim().toUpperCase();
}

/**
 * The check character (position 18) of the first 17 characters, per GB 32100-2015 clause 4.5:
 * C18 = 31 − (Σ value_i × W_i mod 31), where 31 becomes 0, written with `usccAlphabet`.
 * Throws a RangeError for input that is not 17 characters of the alphabet (a wiring mistake).
 */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`17 characters expected, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = usccAlphabet.indexOf(first17[i] ?? '');
    if (value < 0) throw new RangeError(`'${first17[i] ?? ''}' is not a character of the code`);
    sum += value * (usccWeights[i] ?? 0);
  }
  return usccAlphabet[(31 - (sum % 31)) % 31] ?? '0';
}

/** GB 11714-1997 weights for the 8 body characters of an organisation code. */
const gb11714Weights = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * The GB 11714-1997 check character of an organisation code's first 8 characters:
 * C9 = 11 − (Σ value_i × W_i mod 11), 10 written as X and 11 as 0; digits count 0–9 and
 * letters A–Z count 10–35 (the organisation-code alphabet, which keeps I, O, S, V, Z).
 */
export function organizationCodeCheckCharacter(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const value = Number.parseInt(first8[i] ?? '', 36);
    if (Number.isNaN(value)) throw new RangeError(`'${first8[i] ?? ''}' is not a character of an organisation code`);
    sum += value * (gb11714Weights[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * Validates a unified social credit code (GB 32100-2015). Returns the normalised code and its
 * parts, or the first problem found, in reading order: length, then each character from the
 * left (alphabet, the authority/type table, digits in the division code), then the check
 * character (clause 4.5). Messages name the position and what was expected, for people.
 */
export function validateUscc(input: string): UsccResult {
  const normalized = normalizeUscc(input);
  const characters = [...normalized];
  const fail = (reason: UsccFailureReason, message: string, at: { position?: number; expected?: string } = {}): UsccResult => ({ ok: false, reason, message, normalized, ...at });

  if (characters.length !== usccLength) {
    return fail('length', `${usccLength} characters expected, got ${characters.length}`);
  }
  for (const [index, character] of characters.entries()) {
    const position = index + 1;
    const shown = character === ' ' ? 'space' : `'${character}'`;
    if (neverUsed.has(character)) {
      return fail('character', `character ${shown} at position ${position} is not allowed (I, O, Z, S, V are never used)`, { position });
    }
    if (!usccAlphabet.includes(character)) {
      return fail('character', `character ${shown} at position ${position} is not allowed (only digits 0–9 and capital letters other than I, O, Z, S, V)`, { position });
    }
    if (position === 1 && registrationAuthorities[character] === undefined) {
      return fail('character', `character ${shown} at position 1 is not a registration authority code of GB 32100-2015 (${Object.keys(registrationAuthorities).join(', ')})`, { position: 1 });
    }
    if (position === 2) {
      const authority = registrationAuthorities[characters[0] ?? ''];
      if (authority !== undefined && authority.types[character] === undefined) {
        const types = Object.entries(authority.types).map(([code, name]) => `${code} ${name}`).join(', ');
        return fail('character', `character ${shown} at position 2 is not an organisation type of registration authority ${characters[0] ?? ''} ${authority.nameZh} (${types})`, { position });
      }
    }
    if (position >= 3 && position <= 8 && !digits.includes(character)) {
      return fail('character', `character ${shown} at position ${position} is not allowed: positions 3–8 are the administrative division code, 6 digits (GB/T 2260)`, { position });
    }
  }
  const expected = usccCheckCharacter(normalized.slice(0, 17));
  const actual = normalized[17] ?? '';
  if (actual !== expected) {
    return fail('check', `check character should be '${expected}' but is '${actual}'`, { position: 18, expected });
  }
  const authority = normalized[0] ?? '';
  const type = normalized[1] ?? '';
  const organizationCode = normalized.slice(8, 17);
  return {
    ok: true,
    normalized,
    parts: {
      registrationAuthority: authority,
      registrationAuthorityZh: registrationAuthorities[authority]?.nameZh ?? '',
      organizationType: type,
      organizationTypeZh: registrationAuthorities[authority]?.types[type] ?? '',
      divisionCode: normalized.slice(2, 8),
      organizationCode,
      organizationCodeCheckPasses: organizationCodeCheckCharacter(organizationCode.slice(0, 8)) === organizationCode[8],
    },
  };
}
