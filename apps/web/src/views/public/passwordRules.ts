/** The password policy's rules a browser can check as the user types (the API also checks guessability, with zxcvbn). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/** The words the API refuses inside a password: the email, its local part, the name and the organisation (3 characters or more). */
export function personalWords(details: { email?: string; name?: string; organisationName?: string }): string[] {
  const email = details.email?.trim().toLowerCase() ?? '';
  const words = [email, email.split('@')[0] ?? '', details.name ?? '', details.organisationName ?? ''];
  return [...new Set(words.map((word) => word.trim().toLowerCase()).filter((word) => [...word].length >= 3))];
}

export interface PasswordCheck {
  length: boolean;
  personal: boolean;
  match: boolean;
}

export function checkPassword(password: string, confirm: string, words: string[]): PasswordCheck {
  const lower = password.toLowerCase();
  return {
    length: password.length >= PASSWORD_MIN && password.length <= PASSWORD_MAX,
    personal: password.length > 0 && !words.some((word) => lower.includes(word)),
    match: password.length > 0 && password === confirm,
  };
}

export function passwordAcceptable(check: PasswordCheck): boolean {
  return check.length && check.personal && check.match;
}
