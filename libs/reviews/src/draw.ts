import { type AvoidanceRule, type AvoidanceSettings, type DossierForDraw, type PoolExpert, avoidanceFindings } from './avoidance';
import { seededRandom } from './seeded-random';

export interface DrawRequest {
  seed: string;
  pool: PoolExpert[];
  dossier: DossierForDraw;
  members: number;
  reserves: number;
  avoidance: AvoidanceSettings;
  /** Experts whose avoidance findings a bureau officer waived, with the reason (audited by the caller). */
  overrides: ReadonlyMap<string, string>;
  /** YYYY-MM-DD, Asia/Shanghai. */
  today: string;
}

export type Exclusion = { expertId: string; reasons: (AvoidanceRule | 'unavailable' | 'over_cap')[] };

export interface DrawResult {
  /** Panel members in the order drawn. */
  members: string[];
  /** Reserves in the order they are called in. */
  reserves: string[];
  /** Experts left out before the draw, with why. */
  excluded: Exclusion[];
  /** Experts drawn only because an override waived their findings. */
  overridden: { expertId: string; waived: AvoidanceRule[]; reason: string }[];
}

/**
 * The draw of one panel: experts are checked first (availability, yearly cap, avoidance), then seats
 * are filled in turn from the dossier's fields, each seat a uniform pick among the eligible experts
 * of the field whose turn it is; when a field runs dry the seat goes to any expert of another of the
 * dossier's fields, then to any eligible expert. The pool is put in id order first, so the result
 * depends only on the seed and the pool's contents.
 */
export function drawPanel(request: DrawRequest): DrawResult {
  const excluded: Exclusion[] = [];
  const overridden: DrawResult['overridden'] = [];
  const eligible: PoolExpert[] = [];
  const waived = new Map<string, AvoidanceRule[]>();
  const pool = [...request.pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const expert of pool) {
    const reasons: Exclusion['reasons'] = [];
    if (!expert.available) reasons.push('unavailable');
    if (expert.reviewsThisYear >= expert.yearlyCap) reasons.push('over_cap');
    const findings = avoidanceFindings(expert, request.dossier, request.avoidance, request.today);
    const override = request.overrides.get(expert.id);
    if (override === undefined) reasons.push(...findings);
    if (reasons.length > 0) {
      excluded.push({ expertId: expert.id, reasons });
      continue;
    }
    if (findings.length > 0) waived.set(expert.id, findings);
    eligible.push(expert);
  }

  const random = seededRandom(request.seed);
  const fields = [...new Set(request.dossier.industries)].sort();
  const remaining = [...eligible];
  let turn = 0;
  const pick = (): string | null => {
    if (remaining.length === 0) return null;
    const field = fields.length > 0 ? fields[turn % fields.length] : null;
    turn += 1;
    const inField = field === null ? [] : remaining.filter((e) => e.expertise.includes(field));
    const inAnyField = remaining.filter((e) => e.expertise.some((code) => fields.includes(code)));
    const stratum = inField.length > 0 ? inField : inAnyField.length > 0 ? inAnyField : remaining;
    const chosen = stratum[random.below(stratum.length)];
    remaining.splice(remaining.indexOf(chosen), 1);
    return chosen.id;
  };
  const take = (count: number): string[] => {
    const drawn: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = pick();
      if (id === null) break;
      drawn.push(id);
    }
    return drawn;
  };
  const members = take(request.members);
  const reserves = take(request.reserves);
  for (const id of [...members, ...reserves]) {
    const findings = waived.get(id);
    if (findings) overridden.push({ expertId: id, waived: findings, reason: request.overrides.get(id) ?? '' });
  }
  return { members, reserves, excluded, overridden };
}
