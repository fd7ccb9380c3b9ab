import fc from 'fast-check';
import { CREDIT_CODE_CHARSET, completeCreditCode, creditCodeCheckDigit, validateCreditCode } from './credit-code';

describe('validateCreditCode', () => {
  it.each(['91350100M000100Y43'])('accepts the worked example %s', (code) => {
    expect(validateCreditCode(code)).toEqual({ valid: true, code });
  });

  it('normalises spaces and lower case', () => {
    expect(validateCreditCode(' 91350100m000100y43 ')).toEqual({ valid: true, code: '91350100M000100Y43' });
  });

  it.each([
    ['9135010M000100Y43', 'length'],
    ['91350100M000100Y433', 'length'],
    ['91350100M0001OOY43', 'charset'],
    ['91350100M000100I43', 'charset'],
    ['B1350100M000100Y43', 'registration_authority'],
    ['94350100M000100Y43', 'organisation_category'],
    ['9135A100M000100Y43', 'division_code'],
    ['91350100M000100Y44', 'check_digit'],
  ])('rejects %s, naming the failed check (%s)', (code, check) => {
    const result = validateCreditCode(code);
    expect(result).toMatchObject({ valid: false, check });
    expect(result.valid === false && result.message).toMatch(/^统一社会信用代码.+[A-Za-z]/);
  });

  it('accepts every completed code and rejects every single-character change of the check digit', () => {
    const char = fc.constantFrom(...CREDIT_CODE_CHARSET.split(''));
    fc.assert(
      fc.property(fc.array(char, { minLength: 9, maxLength: 9 }), fc.integer({ min: 0, max: 999_999 }), char, (body, division, other) => {
        const first17 = `91${String(division).padStart(6, '0')}${body.join('')}`;
        const code = completeCreditCode(first17);
        expect(validateCreditCode(code).valid).toBe(true);
        if (other !== creditCodeCheckDigit(first17)) expect(validateCreditCode(first17 + other)).toMatchObject({ check: 'check_digit' });
      }),
    );
  });
});
