import { DomainError } from '@app/common';

export const ApplicationErrors = {
  notFound: (id: string) => new DomainError('not_found', 'application.not_found', '未找到该申报书。Application not found.', { id }),
  callNotFound: (id: string) => new DomainError('not_found', 'call.not_found', '未找到该申报通知。Call not found.', { id }),
  callNotOpen: (status: string) => new DomainError('conflict', 'call.not_open', '该申报通知未开放申报。The call is not open.', { status }),
  outsideWindow: (opensAt: Date, closesAt: Date) =>
    new DomainError(
      'conflict',
      'call.outside_window',
      `不在申报时间内（${opensAt.toISOString()} 至 ${closesAt.toISOString()}）。Outside the application window.`,
      {
        opensAt: opensAt.toISOString(),
        closesAt: closesAt.toISOString(),
      },
    ),
  versionConflict: (expected: number, actual: number) =>
    new DomainError(
      'conflict',
      'application.version_conflict',
      '申报书已被他人修改，请刷新后重试。The dossier changed meanwhile; reload and retry.',
      {
        expectedVersion: expected,
        currentVersion: actual,
      },
    ),
  notEditable: (stage: string) =>
    new DomainError('conflict', 'application.not_editable', '当前环节不能修改申报内容。The dossier cannot be edited at this stage.', {
      stage,
    }),
  ineligible: (failed: unknown[]) =>
    new DomainError('unprocessable', 'application.ineligible', '不符合申报条件，请查看未通过的条件。The dossier fails eligibility rules.', {
      failed,
    }),
  missingDocuments: (missing: unknown[]) =>
    new DomainError('unprocessable', 'application.missing_documents', '缺少必需的申报材料。Required documents are missing.', { missing }),
  pledgeRequired: () =>
    new DomainError('unprocessable', 'application.pledge_required', '提交前须签署诚信承诺书。The integrity pledge must be signed.', {}),
  quotaReached: (regionCode: string, quota: number) =>
    new DomainError('conflict', 'application.quota_reached', `本县（市、区）推荐名额（${quota}）已用完。The county's quota is used up.`, {
      regionCode,
      quota,
    }),
  invalidForm: (fields: unknown[]) =>
    new DomainError('validation', 'application.invalid_form', '申报表填写有误。The form has invalid fields.', { fields }),
  platformTypeMismatch: (declared: string, actual: string) =>
    new DomainError(
      'unprocessable',
      'application.platform_type_mismatch',
      `申报书的平台类型 ${declared} 与申报通知的 ${actual} 不符。The dossier's platform type ${declared} is not the call's ${actual}.`,
      { platformType: declared, expected: actual },
    ),
  organisationMissing: () =>
    new DomainError('forbidden', 'application.no_organisation', '当前账号未关联申报单位。Your account has no organisation.', {}),
  promotionSourceUnknown: (platformId: string) =>
    new DomainError(
      'unprocessable',
      'application.promotion_source_unknown',
      "晋升所依据的平台不存在或不属于本单位。The platform promoted from is unknown or not your organisation's.",
      { field: 'promotedFromPlatformId', platformId },
    ),
  promotionTypeMismatch: (platformType: string, callType: string) =>
    new DomainError('unprocessable', 'application.promotion_type_mismatch', '晋升须为同类平台。A promotion keeps the platform type.', {
      field: 'promotedFromPlatformId',
      platformType,
      callType,
    }),
  promotionLevelNotHigher: (platformLevel: string, callLevel: string) =>
    new DomainError(
      'unprocessable',
      'application.promotion_level_not_higher',
      '晋升申报的级别须高于原平台的级别。A promotion must raise the level.',
      { field: 'promotedFromPlatformId', platformLevel, callLevel },
    ),
  promotionSourceRevoked: (platformId: string) =>
    new DomainError(
      'unprocessable',
      'application.promotion_source_revoked',
      '原平台已被撤销，不能据此申报晋升。The platform promoted from has been revoked.',
      { field: 'promotedFromPlatformId', platformId },
    ),
  verdictNotTyped: (action: string) =>
    new DomainError(
      'validation',
      'application.verdict_not_typed',
      '评审结果取自专家组或考察组的记录，不能手工填写。The result is read from the panel or the inspection, not typed.',
      { action, fields: ['passed', 'score'] },
    ),
  decisionNeedsRelease: (action: string) =>
    new DomainError(
      'conflict',
      'decision.release_required',
      '局务会决定须记录会议、经领导签发后随批次发布。Record the meeting, have the leader sign off, then release the decision.',
      { action },
    ),
  reapplicationBanned: (until: string) =>
    new DomainError(
      'unprocessable',
      'application.reapplication_banned',
      `贵单位因弄虚作假被撤销认定，${until} 前不得再次申报。Your organisation may not apply again until ${until} (revoked for fraud).`,
      { until },
    ),
  recommendationLetterRequired: () =>
    new DomainError(
      'unprocessable',
      'application.recommendation_letter_required',
      '推荐前须上传县（市、区）推荐函（documentCode: recommendation_letter）。Upload the recommendation letter before recommending.',
      { documentCode: 'recommendation_letter' },
    ),
};
