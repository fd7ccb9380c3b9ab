import { DomainError } from '@app/common';

export const TargetsErrors = {
  notFound: (code: string): DomainError =>
    new DomainError('not_found', 'target.not_found', `未找到该目标：${code}。Target not found.`, { code }),
  invalid: (field: string, code: string, message: string, details: Record<string, unknown> = {}): DomainError =>
    new DomainError('validation', `target.${code}`, message, { field, ...details }),
  unknownIndicators: (codes: string[]): DomainError =>
    new DomainError('validation', 'indicator.unknown', `未知的指标：${codes.join('、')}。Unknown indicators.`, { codes }),
};
