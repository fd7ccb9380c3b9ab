import type { LocationQuery } from 'vue-router';

/** The token as a mail carries it (URL-safe base64, as the API's TokenDto accepts). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** The token of a mail link's query, or null when it is missing or damaged. */
export function tokenOf(query: LocationQuery): string | null {
  const token = query.token;
  return typeof token === 'string' && TOKEN_PATTERN.test(token) ? token : null;
}

/** Why a set-password link was sent: a reset (default), a staff account's first password, a colleague's invitation. */
export type Purpose = 'reset' | 'account' | 'invitation';

export function purposeOf(query: LocationQuery): Purpose {
  const purpose = query.purpose;
  // `invited=1` is accepted too, as a hand-written link might carry it.
  if (purpose === 'invitation' || query.invited === '1') return 'invitation';
  if (purpose === 'account') return 'account';
  return 'reset';
}
