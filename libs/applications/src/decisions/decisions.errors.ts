import { DomainError } from '@app/common';

export const DecisionErrors = {
  notAtDecision: (stage: string) =>
    new DomainError('conflict', 'decision.not_at_decision', '申报书不在局务会研究环节。The dossier is not at the decision stage.', {
      stage,
    }),
  alreadyRecorded: (applicationId: string) =>
    new DomainError('conflict', 'decision.already_recorded', '该申报书已有待签发或待发布的决定。A decision is already pending.', {
      applicationId,
    }),
  reasonRequired: () =>
    new DomainError('validation', 'decision.reason_required', '不予认定须说明理由。A rejection needs reasons.', { field: 'comment' }),
  notFound: (applicationId: string) =>
    new DomainError('not_found', 'decision.not_found', '该申报书没有待签发的决定。No decision waiting for sign-off.', { applicationId }),
  alreadySigned: () => new DomainError('conflict', 'decision.already_signed', '该决定已签发。The decision is already signed off.'),
  nothingToRelease: (callId: string) =>
    new DomainError('conflict', 'decision.nothing_to_release', '没有已签发待发布的决定。No signed decision waits for release.', { callId }),
  notReadyForRecognition: (applicationIds: string[]) =>
    new DomainError(
      'conflict',
      'recognition.not_ready',
      '批次中有申报书不属于该申报通知或尚未公示结束。Some dossiers are not of this call or not past their public notice.',
      { applicationIds },
    ),
  documentNumberUsed: (documentNumber: string) =>
    new DomainError('conflict', 'recognition.document_number_used', '该认定文号已用于另一批次。The document number is already used.', {
      documentNumber,
    }),
};
