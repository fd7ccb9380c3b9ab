import { DomainError } from '@app/common';

export const IdentityErrors = {
  unauthenticated: (): DomainError => new DomainError('unauthenticated', 'auth.unauthenticated', '请先登录。Please sign in.'),
  sessionEnded: (): DomainError =>
    new DomainError('unauthenticated', 'auth.session_ended', '登录已失效，请重新登录。Your session has ended; please sign in again.'),
  invalidCredentials: (): DomainError =>
    new DomainError('unauthenticated', 'auth.invalid_credentials', '邮箱或密码错误。Wrong email or password.'),
  invalidRefreshToken: (): DomainError =>
    new DomainError(
      'unauthenticated',
      'auth.invalid_refresh_token',
      '刷新令牌无效或已过期，请重新登录。The refresh token is invalid or expired.',
    ),
  /** The same for every email, known or not, and for an IP over its limit: it tells nothing about accounts. */
  tooManyAttempts: (retryAfterSeconds: number): DomainError =>
    new DomainError(
      'rate_limited',
      'auth.too_many_attempts',
      `登录失败次数过多，请${retryAfterSeconds}秒后再试。Too many failed sign-ins; try again in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    ),
  disabled: (): DomainError => new DomainError('forbidden', 'auth.account_disabled', '该账号已停用。This account is disabled.'),
  emailNotVerified: (): DomainError =>
    new DomainError('forbidden', 'auth.email_not_verified', '邮箱尚未验证，请先完成邮箱验证。Please verify your email address first.'),
  forbidden: (): DomainError => new DomainError('forbidden', 'auth.forbidden', '无权执行此操作。You may not do this.'),
  invalidLinkToken: (): DomainError =>
    new DomainError('validation', 'auth.invalid_token', '链接无效、已使用或已过期。The link is invalid, used or expired.'),
  invalidCreditCode: (check: string, message: string): DomainError =>
    new DomainError('validation', 'organisation.invalid_credit_code', message, { field: 'creditCode', check }),
  duplicateOrganisation: (): DomainError =>
    new DomainError(
      'conflict',
      'organisation.duplicate_credit_code',
      '该统一社会信用代码的单位已注册。An organisation with this credit code already exists.',
    ),
  duplicateEmail: (): DomainError =>
    new DomainError('conflict', 'user.duplicate_email', '该邮箱已被使用。This email address is already in use.'),
  unknownRegion: (code: string): DomainError =>
    new DomainError('validation', 'reference.unknown_region', `未知的地区代码：${code}。Unknown region code.`, { regionCode: code }),
  unknownIndustries: (codes: string[]): DomainError =>
    new DomainError('validation', 'reference.unknown_industry', `未知的产业代码：${codes.join('、')}。Unknown industry codes.`, {
      industryCodes: codes,
    }),
  invalidScope: (message: string, details: Record<string, unknown> = {}): DomainError =>
    new DomainError('validation', 'user.invalid_scope', message, details),
  wrongPassword: (): DomainError => new DomainError('validation', 'auth.wrong_password', '当前密码不正确。The current password is wrong.'),
  notOwner: (): DomainError =>
    new DomainError(
      'forbidden',
      'organisation.not_owner',
      "只有本单位的首个注册用户可以邀请成员。Only the organisation's first user may invite members.",
    ),
  fieldNotEditable: (fields: string[]): DomainError =>
    new DomainError('forbidden', 'organisation.field_not_editable', '这些字段只能由管理员修改。Only the bureau may change these fields.', {
      fields,
    }),
  cannotDisableSelf: (): DomainError =>
    new DomainError('conflict', 'user.cannot_disable_self', '不能停用自己的账号。You cannot disable your own account.'),
  userNotFound: (id?: string): DomainError =>
    new DomainError('not_found', 'user.not_found', '未找到该用户。User not found.', id ? { id } : {}),
  organisationNotFound: (id?: string): DomainError =>
    new DomainError('not_found', 'organisation.not_found', '未找到该单位。Organisation not found.', id ? { id } : {}),
};
