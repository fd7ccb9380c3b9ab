import { completedYears as completedCalendarYears } from '@app/common';
import type { EligibilityRule, RuleResult } from './eligibility.types';

/**
 * Completed calendar years from `since` to `today` (满 N 年): a firm founded on 2025-12-01 is one
 * year old on 2026-12-01, not 0.99; a 29 February anniversary falls on 1 March in common years.
 */
export const completedYears = completedCalendarYears;

/** Fields computed from the form, so rules can speak of shares and years of operation. */
export function derivedFields(form: Record<string, unknown>, today: string): Record<string, unknown> {
  const derived: Record<string, unknown> = { ...form };
  const operatingYears = typeof form.operatingSince === 'string' ? completedYears(form.operatingSince, today) : undefined;
  if (operatingYears !== undefined) derived.operatingYears = operatingYears;
  const share = (part: unknown, whole: unknown): number | undefined =>
    typeof part === 'number' && typeof whole === 'number' && whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : undefined;
  derived.incubatedAreaShare = share(form.incubatedAreaM2, form.areaM2);
  derived.rdStaffShare = share(form.rdStaff, form.totalStaff);
  derived.rdSpendShare = share(form.rdSpendYuan, form.incomeYuan);
  derived.siteSecured = form.siteOwned === true || (typeof form.leaseYears === 'number' && form.leaseYears >= 5);
  return derived;
}

function holds(rule: EligibilityRule, actual: unknown): boolean {
  switch (rule.operator) {
    case '>=':
      return typeof actual === 'number' && actual >= Number(rule.value);
    case '<=':
      return typeof actual === 'number' && actual <= Number(rule.value);
    case '==':
      return actual === rule.value;
    case 'in':
      return Array.isArray(rule.value) && (rule.value as unknown[]).includes(actual);
  }
}

/** Evaluates every rule that applies; the caller decides what a failed hard rule means (422 on submit). */
export function evaluateEligibility(
  rules: readonly EligibilityRule[],
  form: Record<string, unknown>,
  today: string,
  locale: 'zh-CN' | 'en' = 'zh-CN',
): RuleResult[] {
  const fields = derivedFields(form, today);
  return rules
    .filter((rule) => !rule.when || fields[rule.when.field] === rule.when.equals)
    .map((rule) => {
      const actual = fields[rule.field];
      return {
        ruleId: rule.id,
        field: rule.field,
        severity: rule.severity,
        passed: holds(rule, actual),
        actual: actual ?? null,
        expected: `${rule.operator} ${Array.isArray(rule.value) ? rule.value.join('|') : String(rule.value)}`,
        message: locale === 'en' ? rule.messageEn : rule.messageZh,
      };
    });
}
