/**
 * 统一社会信用代码 checked in the browser as it is typed (GB 32100-2015), the same rules the API applies
 * (libs/identity/src/credit-code.ts, which the web app may not import): 18 characters from a 31-character
 * set, a registration authority and its category, six digits of administrative division, a check digit.
 */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const CATEGORIES_BY_AUTHORITY: Record<string, string> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
};

export type CreditCodeState =
  | { kind: 'empty' }
  | { kind: 'typing'; count: number }
  | { kind: 'valid' }
  | { kind: 'length'; count: number }
  | { kind: 'charset'; char: string }
  | { kind: 'authority' }
  | { kind: 'category' }
  | { kind: 'division' }
  | { kind: 'checkDigit' };

export function creditCodeCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CREDIT_CODE_CHARSET.indexOf(first17[i] ?? '0') * (WEIGHTS[i] ?? 0);
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31] ?? '';
}

/**
 * The state of a code being typed: a wrong character or a wrong authority shows at once; the length
 * only when the field is left (`finished`) or goes past 18; the check digit once all 18 are there.
 */
export function checkCreditCode(input: string, finished = false): CreditCodeState {
  const code = input.trim().toUpperCase();
  if (code.length === 0) return { kind: 'empty' };
  for (const char of code) if (!CREDIT_CODE_CHARSET.includes(char)) return { kind: 'charset', char };
  const first = code[0] ?? '';
  const categories = CATEGORIES_BY_AUTHORITY[first];
  if (categories === undefined) return { kind: 'authority' };
  if (code.length >= 2 && !categories.includes(code[1] ?? '')) return { kind: 'category' };
  if (!/^\d*$/.test(code.slice(2, 8))) return { kind: 'division' };
  if (code.length > 18 || (finished && code.length < 18)) return { kind: 'length', count: code.length };
  if (code.length < 18) return { kind: 'typing', count: code.length };
  if (creditCodeCheckDigit(code.slice(0, 17)) !== code[17]) return { kind: 'checkDigit' };
  return { kind: 'valid' };
}
