import type { AggregationMethod, Criterion, Rubric } from './rubric';

/** One expert's scores, criterion code -> value. */
export type ScoreSheet = Record<string, number>;

export type SheetProblem =
  | { problem: 'unknown_criterion'; criterion: string }
  | { problem: 'missing_criterion'; criterion: string }
  | { problem: 'out_of_range'; criterion: string; min: number; max: number }
  | { problem: 'comment_required'; criterion: string; below: number };

/** Every problem of a submitted sheet: unknown or missing criteria, values out of range, low values without a comment. */
export function checkSheet(rubric: Rubric, values: { criterion: string; value: number; comment?: string | null }[]): SheetProblem[] {
  const problems: SheetProblem[] = [];
  const byCode = new Map(rubric.criteria.map((c) => [c.code, c]));
  for (const entry of values) {
    const criterion = byCode.get(entry.criterion);
    if (!criterion) {
      problems.push({ problem: 'unknown_criterion', criterion: entry.criterion });
      continue;
    }
    if (!Number.isFinite(entry.value) || entry.value < criterion.min || entry.value > criterion.max) {
      problems.push({ problem: 'out_of_range', criterion: criterion.code, min: criterion.min, max: criterion.max });
      continue;
    }
    const below = commentThreshold(criterion, rubric.commentBelowPercent);
    if (entry.value < below && !(entry.comment ?? '').trim())
      problems.push({ problem: 'comment_required', criterion: criterion.code, below });
  }
  const given = new Set(values.map((v) => v.criterion));
  for (const criterion of rubric.criteria)
    if (!given.has(criterion.code)) problems.push({ problem: 'missing_criterion', criterion: criterion.code });
  return problems;
}

/** The value below which a criterion needs a comment. */
export function commentThreshold(criterion: Criterion, percent: number): number {
  return criterion.min + ((criterion.max - criterion.min) * percent) / 100;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** One expert's weighted total on a 0-100 scale: each criterion's share of its range, weighted. */
export function weightedTotal(criteria: Criterion[], sheet: ScoreSheet): number {
  const weights = criteria.reduce((sum, c) => sum + c.weight, 0);
  if (weights <= 0) return 0;
  const points = criteria.reduce((sum, c) => sum + (c.weight * ((sheet[c.code] ?? c.min) - c.min)) / (c.max - c.min || 1), 0);
  return (100 * points) / weights;
}

export function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** 去掉一个最高分和一个最低分: the mean without one highest and one lowest value; with fewer than 3 values, the mean. */
export function trimmedMean(values: number[]): number {
  if (values.length < 3) return mean(values);
  const sorted = [...values].sort((a, b) => a - b);
  return mean(sorted.slice(1, -1));
}

export interface PanelResult {
  /** Expert totals in ascending order, without who gave them. */
  totals: number[];
  method: AggregationMethod;
  score: number;
  mean: number;
  trimmedMean: number;
  min: number;
  max: number;
  spread: number;
  passMark: number;
  passed: boolean;
  disagreement: boolean;
  perCriterion: { code: string; mean: number }[];
}

/** The panel's result per its rubric; null when nobody scored. Figures are rounded to two decimals after computing. */
export function aggregate(rubric: Rubric, sheets: ScoreSheet[]): PanelResult | null {
  if (sheets.length === 0) return null;
  const totals = sheets.map((sheet) => weightedTotal(rubric.criteria, sheet));
  const plain = mean(totals);
  const trimmed = trimmedMean(totals);
  const score = rubric.method === 'trimmed_mean' ? trimmed : plain;
  const min = Math.min(...totals);
  const max = Math.max(...totals);
  return {
    totals: totals.map(round2).sort((a, b) => a - b),
    method: rubric.method,
    score: round2(score),
    mean: round2(plain),
    trimmedMean: round2(trimmed),
    min: round2(min),
    max: round2(max),
    spread: round2(max - min),
    passMark: rubric.passMark,
    passed: round2(score) >= rubric.passMark,
    disagreement: max - min > rubric.disagreementThreshold,
    perCriterion: rubric.criteria.map((c) => ({ code: c.code, mean: round2(mean(sheets.map((s) => s[c.code] ?? c.min))) })),
  };
}

export interface RankedDossier {
  applicationId: string;
  score: number;
  passed: boolean;
  rank: number;
  /** Passed and within the call's quota by rank. */
  withinQuota: boolean;
}

/**
 * A call's dossiers by score (highest first; ties by id, so the order is stable), each marked
 * within the quota when it passed and ranks among the first `quota` passing dossiers. A null quota
 * admits every passing dossier.
 */
export function rankAgainstQuota(
  results: { applicationId: string; score: number; passed: boolean }[],
  quota: number | null,
): RankedDossier[] {
  const sorted = [...results].sort(
    (a, b) => b.score - a.score || (a.applicationId < b.applicationId ? -1 : a.applicationId > b.applicationId ? 1 : 0),
  );
  let admitted = 0;
  return sorted.map((result, index) => {
    const withinQuota = result.passed && (quota === null || admitted < quota);
    if (withinQuota) admitted += 1;
    return { ...result, rank: index + 1, withinQuota };
  });
}
