/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-character
 * set (digits and capitals without I, O, Z, S, V):
 *   1      registration authority (登记管理部门代码)
 *   2      organisation category within that authority (机构类别代码)
 *   3-8    administrative division code (登记管理机关行政区划码, digits)
 *   9-17   organisation code (主体标识码)
 *   18     check digit over the first 17
 */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Registration authorities and the category codes each may issue (GB 32100-2015 table 1). */
const CATEGORIES_BY_AUTHORITY: Record<string, string> = {
  '1': '1239', // 机构编制
  '2': '19', // 外交
  '3': '123459', // 司法行政
  '4': '19', // 文化
  '5': '1239', // 民政
  '6': '129', // 旅游
  '7': '129', // 宗教
  '8': '19', // 工会
  '9': '123', // 市场监督管理（工商）
  A: '19', // 中央军委改革和编制办公室
  N: '1239', // 农业
  Y: '1', // 其他
};

export type CreditCodeCheck = 'length' | 'charset' | 'registration_authority' | 'organisation_category' | 'division_code' | 'check_digit';

export type CreditCodeResult = { valid: true; code: string } | { valid: false; check: CreditCodeCheck; message: string };

const MESSAGES: Record<CreditCodeCheck, string> = {
  length: '统一社会信用代码须为18位。The credit code must have 18 characters.',
  charset:
    '统一社会信用代码含有不允许的字符（不含I、O、Z、S、V）。The credit code contains a character outside 0-9 and A-Y without I, O, Z, S, V.',
  registration_authority: '统一社会信用代码第1位（登记管理部门代码）无效。The first character (registration authority) is not valid.',
  organisation_category:
    '统一社会信用代码第2位（机构类别代码）与登记管理部门不符。The second character (organisation category) does not fit the registration authority.',
  division_code: '统一社会信用代码第3-8位（行政区划码）须为数字。Characters 3-8 (administrative division) must be digits.',
  check_digit: '统一社会信用代码校验位错误。The check digit (last character) is wrong.',
};

/** The check digit for the first 17 characters (which must be in the charset). */
export function creditCodeCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31];
}

/** Validates a code (surrounding spaces ignored, letters upper-cased); says which check failed. */
export function validateCreditCode(input: string): CreditCodeResult {
  const code = input.trim().toUpperCase();
  const fail = (check: CreditCodeCheck): CreditCodeResult => ({ valid: false, check, message: MESSAGES[check] });
  if (code.length !== 18) return fail('length');
  for (const char of code) if (!CREDIT_CODE_CHARSET.includes(char)) return fail('charset');
  const categories = CATEGORIES_BY_AUTHORITY[code[0]];
  if (categories === undefined) return fail('registration_authority');
  if (!categories.includes(code[1])) return fail('organisation_category');
  if (!/^\d{6}$/.test(code.slice(2, 8))) return fail('division_code');
  if (creditCodeCheckDigit(code.slice(0, 17)) !== code[17]) return fail('check_digit');
  return { valid: true, code };
}

/** Builds a valid code from its first 17 characters (demo data and tests). */
export function completeCreditCode(first17: string): string {
  return first17 + creditCodeCheckDigit(first17);
}
