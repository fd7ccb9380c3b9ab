/** The avoidance (回避) rules checked before an expert is assigned (DOMAIN.md §5 and §8). */
export type AvoidanceRule = 'same_employer' | 'declared_link' | 'same_county' | 'recent_panel';

export const AVOIDANCE_RULES: readonly AvoidanceRule[] = ['same_employer', 'declared_link', 'same_county', 'recent_panel'];

/** An organisation as the rules compare it: by credit code when both sides have one, else by name. */
export interface OrganisationKey {
  name: string | null;
  creditCode: string | null;
}

/** A past or present employment (or other) link to an organisation, declared by the expert. */
export interface DeclaredLink extends OrganisationKey {
  /** The last day of the link (YYYY-MM-DD); null while it lasts. The rule applies whatever the date: a past link counts. */
  until: string | null;
}

export interface PoolExpert {
  id: string;
  expertise: string[];
  employer: OrganisationKey;
  county: string | null;
  available: boolean;
  yearlyCap: number;
  /** Panel seats taken this calendar year (Asia/Shanghai). */
  reviewsThisYear: number;
  declaredLinks: DeclaredLink[];
  /** Organisations whose dossiers this expert reviewed, with the day of the draw (YYYY-MM-DD). */
  pastPanels: { organisationId: string; drawnOn: string }[];
}

export interface DossierForDraw {
  applicationId: string;
  organisationId: string;
  applicant: OrganisationKey;
  hostUnit: OrganisationKey | null;
  county: string;
  industries: string[];
}

export interface AvoidanceSettings {
  /** Exclude experts located in the applicant's county. */
  sameCounty: boolean;
  /** Exclude experts who sat on a panel for the same applicant within this many years; null: off. */
  recentPanelYears: number | null;
}

const normalisedName = (name: string | null): string => (name ?? '').replace(/\s+/g, '').replace(/[（]/g, '(').replace(/[）]/g, ')');

/** True when two organisations are the same: equal credit codes, or (lacking one) equal names. */
export function sameOrganisation(a: OrganisationKey, b: OrganisationKey): boolean {
  if (a.creditCode && b.creditCode && a.creditCode.toUpperCase() === b.creditCode.toUpperCase()) return true;
  const nameA = normalisedName(a.name);
  return nameA.length > 0 && nameA === normalisedName(b.name);
}

/** The day `years` calendar years before `day` (YYYY-MM-DD; 29 February falls back to the 28th). */
function yearsBefore(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y - years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

/** The rules that exclude `expert` from a panel on `dossier`, in AVOIDANCE_RULES order; empty when none. */
export function avoidanceFindings(
  expert: PoolExpert,
  dossier: DossierForDraw,
  settings: AvoidanceSettings,
  today: string,
): AvoidanceRule[] {
  const parties = dossier.hostUnit ? [dossier.applicant, dossier.hostUnit] : [dossier.applicant];
  const findings: AvoidanceRule[] = [];
  if (parties.some((party) => sameOrganisation(expert.employer, party))) findings.push('same_employer');
  if (expert.declaredLinks.some((link) => parties.some((party) => sameOrganisation(link, party)))) findings.push('declared_link');
  if (settings.sameCounty && expert.county !== null && expert.county === dossier.county) findings.push('same_county');
  if (settings.recentPanelYears !== null) {
    const since = yearsBefore(today, settings.recentPanelYears);
    if (expert.pastPanels.some((panel) => panel.organisationId === dossier.organisationId && panel.drawnOn >= since))
      findings.push('recent_panel');
  }
  return findings;
}
