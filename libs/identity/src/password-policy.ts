import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary } from '@zxcvbn-ts/language-en';
import { DomainError } from '@app/common';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn's scale: 3 is "safely unguessable" (about 10^8 guesses or more), ASVS 5.0 V6.2 asks to refuse weaker. */
export const PASSWORD_MIN_SCORE = 3;
/** Personal words shorter than this (a two-character Chinese name) are too common a substring to refuse. */
const MIN_PERSONAL_WORD = 3;

/** Things the password must not contain: the user's own details. */
export interface PasswordContext {
  email?: string | null;
  name?: string | null;
  organisationName?: string | null;
}

/** zxcvbn's warning and suggestion keys, in the Chinese-first, English-second style of every message. */
const FEEDBACK: Record<string, string> = {
  straightRow: '键盘上连续的一排按键很容易被猜到。Straight rows of keys are easy to guess.',
  keyPattern: '简短的键盘图案很容易被猜到。Short keyboard patterns are easy to guess.',
  simpleRepeat: '重复的字符（如“aaa”）很容易被猜到。Repeated characters like "aaa" are easy to guess.',
  extendedRepeat: '重复的字符组合（如“abcabcabc”）很容易被猜到。Repeated patterns like "abcabcabc" are easy to guess.',
  sequences: '常见的字符序列（如“abc”、“123”）很容易被猜到。Sequences like "abc" or "123" are easy to guess.',
  recentYears: '最近的年份很容易被猜到。Recent years are easy to guess.',
  dates: '日期很容易被猜到。Dates are easy to guess.',
  topTen: '这是最常用的密码之一。This is one of the most used passwords.',
  topHundred: '这是很常用的密码。This is a frequently used password.',
  common: '这是常见密码，出现在泄露密码列表中。This is a common password found in breach lists.',
  similarToCommon: '与常见密码过于相似。This is similar to a commonly used password.',
  wordByItself: '单个单词很容易被猜到。Single words are easy to guess.',
  namesByThemselves: '单独的姓名很容易被猜到。Single names or surnames are easy to guess.',
  commonNames: '常见的姓名很容易被猜到。Common names and surnames are easy to guess.',
  userInputs: '不要使用个人或本系统相关的信息。Do not use personal or site-related words.',
  pwned: '该密码已在数据泄露中公开。This password was exposed in a data breach.',
  l33t: '避免可预测的字母替换（如用“@”代替“a”）。Avoid predictable substitutions like "@" for "a".',
  reverseWords: '避免倒写常见单词。Avoid reversed spellings of common words.',
  allUppercase: '只大写部分字母，而不是全部。Capitalise some, but not all letters.',
  capitalization: '不要只大写首字母。Capitalise more than the first letter.',
  associatedYears: '避免与您相关的年份。Avoid years associated with you.',
  repeated: '避免重复的单词和字符。Avoid repeated words and characters.',
  longerKeyboardPattern: '使用更长且多次改变方向的键盘图案。Use longer keyboard patterns that change direction.',
  anotherWord: '再加几个不常见的词。Add more words that are less common.',
  useWords: '使用多个单词，但避免常见短语。Use several words, but avoid common phrases.',
  noNeed: '不必使用符号、数字或大写字母，多个不常见的词同样安全。Several uncommon words are strong without symbols or digits.',
};

/** Built on first use and kept: loading the dictionaries takes a few hundred milliseconds. */
let checker: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  checker ??= new ZxcvbnFactory({ dictionary: { ...commonDictionary, ...englishDictionary }, graphs: adjacencyGraphs });
  return checker;
}

function weak(reason: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('validation', 'auth.weak_password', `密码强度不足：${reason}`, { minLength: PASSWORD_MIN_LENGTH, ...details });
}

function personalWords(context: PasswordContext): string[] {
  const email = context.email?.trim().toLowerCase() ?? '';
  const words = [email, email.split('@')[0] ?? '', context.name ?? '', context.organisationName ?? ''];
  return [...new Set(words.map((word) => word.trim().toLowerCase()).filter((word) => [...word].length >= MIN_PERSONAL_WORD))];
}

/**
 * The password policy of ASVS 5.0 level 2 (V6.2): at least 12 characters, at most 128, not
 * containing the user's email, name or organisation, and not guessable: zxcvbn's score against
 * its offline lists of common and breached passwords, words and names must be 3 or more.
 * Throws 400 `auth.weak_password` with zxcvbn's feedback in Chinese and English.
 */
export function assertPasswordAcceptable(password: string, context: PasswordContext = {}): void {
  if (password.length < PASSWORD_MIN_LENGTH)
    throw weak(`至少${PASSWORD_MIN_LENGTH}个字符。The password needs at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (password.length > PASSWORD_MAX_LENGTH)
    throw weak(`最多${PASSWORD_MAX_LENGTH}个字符。The password may have at most ${PASSWORD_MAX_LENGTH} characters.`);
  const lower = password.toLowerCase();
  const words = personalWords(context);
  if (words.some((word) => lower.includes(word))) {
    throw weak('不能包含您的邮箱、姓名或单位名称。The password must not contain your email, name or organisation name.', {
      check: 'personal',
    });
  }
  const result = zxcvbn().check(password, words);
  if (result.score < PASSWORD_MIN_SCORE) {
    const keys = [result.feedback.warning, ...result.feedback.suggestions].filter((key): key is string => typeof key === 'string');
    const feedback = keys.map((key) => FEEDBACK[key]).filter((line): line is string => line !== undefined);
    throw weak(`容易被猜到。The password is easy to guess.${feedback.length > 0 ? ` ${feedback.join(' ')}` : ''}`, {
      check: 'strength',
      score: result.score,
      minScore: PASSWORD_MIN_SCORE,
      feedback,
    });
  }
}
