import * as z from 'zod';
import { normalizeUscc, validateUscc } from './uscc-check';

export * from './uscc-check';

/**
 * A unified social credit code in a request: normalised (NFKC, trimmed, upper-cased) and
 * validated, so a 400 names the field and says why (length, character or check character).
 */
export const UnifiedSocialCreditCode = z
  .string()
  .max(64)
  .overwrite(normalizeUscc)
  .superRefine((value, context) => {
    const result = validateUscc(value);
    if (!result.ok) context.addIssue({ code: 'custom', message: result.message, params: { reason: result.reason } });
  })
  .meta({
    id: 'UnifiedSocialCreditCode',
    description: '统一社会信用代码 (GB 32100-2015): 18 characters, digits and capitals without I, O, Z, S, V, ending in the check character',
    example: '91350100M000100Y43',
  });
export type UnifiedSocialCreditCode = z.infer<typeof UnifiedSocialCreditCode>;
