import { DomainError } from '@app/common';

export const NoticeErrors = {
  notFound: (id: string) => new DomainError('not_found', 'notice.not_found', '未找到该公示。Notice not found.', { id }),
  objectionNotFound: (id: string) =>
    new DomainError('not_found', 'notice.objection_not_found', '未找到该异议。Objection not found.', { id }),
  candidateNotFound: (candidateId: string) =>
    new DomainError('not_found', 'notice.candidate_not_found', '该公示中没有此候选对象。No such candidate on this notice.', {
      candidateId,
    }),
  noCandidates: () => new DomainError('validation', 'notice.no_candidates', '公示名单不能为空。A notice lists at least one candidate.'),
  candidateNotInCall: (applicationId: string) =>
    new DomainError('unprocessable', 'notice.candidate_not_in_call', '候选对象不属于该申报通知。The candidate belongs to another call.', {
      applicationId,
    }),
  publishThroughNotice: () =>
    new DomainError(
      'conflict',
      'notice.publish_through_notice',
      '请通过发布公示名单（POST /notices）进入公示。Candidates enter public notice through POST /notices.',
    ),
  notEnded: (closesAt: Date) =>
    new DomainError(
      'conflict',
      'notice.not_ended',
      '公示期尚未结束，公示期满后自动结束。The notice is still running; it closes itself at its end.',
      {
        closesAt: closesAt.toISOString(),
      },
    ),
  upholdThroughObjection: () =>
    new DomainError(
      'conflict',
      'notice.uphold_through_objection',
      '异议成立须通过异议办结（POST /notices/:id/objections/:objectionId/decision）。An objection is upheld through its decision.',
    ),
  notOnNotice: (applicationId: string) =>
    new DomainError('conflict', 'notice.not_on_notice', '该申报书不在公示中。The dossier is not on a notice.', { applicationId }),
  noUpheldObjection: (applicationId: string) =>
    new DomainError('conflict', 'notice.no_upheld_objection', '该候选对象没有成立的异议。No upheld objection for this candidate.', {
      applicationId,
    }),
  objectionsOpen: (open: number) =>
    new DomainError('conflict', 'notice.objections_open', '尚有异议未办结，不能认定。Open objections must be closed before recognition.', {
      open,
    }),
  closed: (closesAt: Date) =>
    new DomainError(
      'conflict',
      'notice.closed',
      '公示期已结束，不再受理异议。The notice period has ended; objections are no longer accepted.',
      {
        closesAt: closesAt.toISOString(),
      },
    ),
  anonymous: (missing: string[]) =>
    new DomainError(
      'unprocessable',
      'notice.objection_anonymous',
      '不受理匿名异议：个人须署真实姓名并留联系方式，单位须写明单位名称、联系人和联系方式。Anonymous objections are not accepted.',
      { missing },
    ),
  textLength: (min: number, max: number, length: number) =>
    new DomainError(
      'validation',
      'notice.objection_text_length',
      `异议内容须为 ${min} 至 ${max} 字。The objection must be ${min} to ${max} characters.`,
      {
        min,
        max,
        length,
      },
    ),
  invalidContact: () =>
    new DomainError(
      'validation',
      'notice.objection_invalid_contact',
      '联系方式须为手机号、固定电话或电子邮箱。The contact must be a phone number or an email address.',
    ),
  letterNotForPerson: () =>
    new DomainError(
      'conflict',
      'notice.letter_for_organisation',
      '只有单位提出的异议需要加盖公章的书面材料。Only an organisation sends a sealed letter.',
    ),
  letterExists: () => new DomainError('conflict', 'notice.letter_exists', '该异议已提交书面材料。The letter was already sent.'),
  letterMissing: (objectionId: string) =>
    new DomainError('not_found', 'notice.letter_missing', '该异议没有书面材料。The objection has no letter.', { objectionId }),
  letterTooLarge: (maxBytes: number) =>
    new DomainError(
      'too_large',
      'notice.letter_too_large',
      `书面材料超过大小上限（${maxBytes} 字节）。The letter exceeds the size limit.`,
      { maxBytes },
    ),
  letterNotPdf: () => new DomainError('unsupported_media', 'notice.letter_not_pdf', '书面材料须为 PDF 文件。The letter must be a PDF.'),
  alreadyDecided: (status: string) =>
    new DomainError('conflict', 'notice.objection_decided', '该异议已办结。The objection is already decided.', { status }),
  resolutionRequired: () =>
    new DomainError('validation', 'notice.resolution_required', '办结异议须填写调查意见。A decision needs the investigation findings.'),
};

export const AppealErrors = {
  notFound: (applicationId: string) =>
    new DomainError('not_found', 'appeal.not_found', '该申报书没有复核申请。No appeal for this dossier.', { applicationId }),
  notRejected: (stage: string) =>
    new DomainError('conflict', 'appeal.not_rejected', '只有未通过的申报书可以申请复核。Only a rejected dossier may be appealed.', {
      stage,
    }),
  notOffered: () => new DomainError('conflict', 'appeal.not_offered', '本批次申报不受理复核申请。This call does not offer appeals.'),
  windowClosed: (lastDay: string) =>
    new DomainError('conflict', 'appeal.window_closed', `复核申请期已于 ${lastDay} 结束。The appeal window ended on ${lastDay}.`, {
      lastDay,
    }),
  alreadyLodged: () => new DomainError('conflict', 'appeal.already_lodged', '每份申报书只能申请一次复核。A dossier may be appealed once.'),
  reasonsLength: (min: number, max: number, length: number) =>
    new DomainError(
      'validation',
      'appeal.reasons_length',
      `复核理由须为 ${min} 至 ${max} 字。The reasons must be ${min} to ${max} characters.`,
      {
        min,
        max,
        length,
      },
    ),
  alreadyResolved: (status: string) =>
    new DomainError('conflict', 'appeal.resolved', '该复核申请已办结。The appeal is already decided.', { status }),
  notUpheld: (applicationId: string) =>
    new DomainError('conflict', 'appeal.not_upheld', '该申报书没有成立的复核申请。No upheld appeal for this dossier.', { applicationId }),
  invalidTerms: (field: string) =>
    new DomainError('validation', 'appeal.invalid_terms', '复核设置无效。Invalid appeal settings.', { field }),
};
