export const ROLES = ['applicant', 'county_officer', 'bureau_officer', 'expert', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Everyone who works for the bureau or a county (DOMAIN.md §8), i.e. every role but applicant. */
export const STAFF_ROLES: readonly Role[] = ['county_officer', 'bureau_officer', 'expert', 'leader', 'admin'];

export const LOCALES = ['zh-CN', 'en'] as const;
export type UserLocale = (typeof LOCALES)[number];

export const LEGAL_FORMS = [
  'enterprise',
  'university',
  'research_institute',
  'hospital',
  'public_institution',
  'social_organisation',
  'other',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

/** Who is acting, as the access guard established it; services take it as their first argument. */
export interface Actor {
  userId: string;
  role: Role;
  /** Applicants: their organisation. */
  organisationId: string | null;
  /** County officers: their county or zone. */
  regionCode: string | null;
  sessionId: string;
  ip: string | null;
}
