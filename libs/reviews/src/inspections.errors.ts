import { DomainError } from '@app/common';

export const InspectionErrors = {
  notFound: (applicationId: string) =>
    new DomainError('not_found', 'inspection.not_found', '未找到该申报书的现场考察。No site inspection for this dossier.', {
      applicationId,
    }),
  /** Not one of the caller's inspections: the same answer whether it exists or not. */
  notOnTeam: (inspectionId: string) =>
    new DomainError('not_found', 'inspection.not_found', '未找到该现场考察。No such site inspection.', { inspectionId }),
  notInSiteInspection: (stage: string) =>
    new DomainError('conflict', 'inspection.not_in_site_inspection', '申报书不在现场考察环节。The dossier is not at site inspection.', {
      stage,
    }),
  required: (applicationId: string) =>
    new DomainError('conflict', 'inspection.required', '须先完成现场考察并由考察组全体签字。Inspect the site and sign first.', {
      applicationId,
    }),
  notSigned: (applicationId: string, unsigned: string[]) =>
    new DomainError('conflict', 'inspection.not_signed', '考察组成员尚未全部签字。Not every team member has signed.', {
      applicationId,
      unsigned,
    }),
  invalidTeam: (problem: string, details: Record<string, unknown> = {}) =>
    new DomainError('validation', 'inspection.invalid_team', `考察组组成不符合要求：${problem}。Invalid inspection team.`, {
      problem,
      ...details,
    }),
  avoidance: (userId: string, findings: string[]) =>
    new DomainError(
      'unprocessable',
      'inspection.avoidance',
      '考察组成员须回避（可由局工作人员说明理由后豁免）。A team member must stand aside (a bureau officer may override with a reason).',
      { userId, findings },
    ),
  unknownItem: (code: string) =>
    new DomainError('validation', 'inspection.unknown_item', '考察清单中没有该项。Unknown checklist item.', { code }),
  unknownEvidence: (attachmentIds: string[]) =>
    new DomainError(
      'validation',
      'inspection.unknown_evidence',
      '佐证材料须为本申报书已上传的附件。Evidence must be attachments of this dossier.',
      {
        attachmentIds,
      },
    ),
  incomplete: (pending: string[]) =>
    new DomainError(
      'conflict',
      'inspection.incomplete',
      '考察清单或考察结论尚未填写完整，不能签字。The checklist or the result is incomplete.',
      {
        pending,
      },
    ),
  alreadySigned: () => new DomainError('conflict', 'inspection.already_signed', '您已签字。You have already signed.'),
  closed: () => new DomainError('conflict', 'inspection.closed', '现场考察已全体签字，不能再修改。The inspection is signed and closed.'),
};
