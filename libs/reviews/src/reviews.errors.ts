import { DomainError } from '@app/common';
import type { SheetProblem } from './aggregation';

const SHEET_CODES: Record<SheetProblem['problem'], [string, string]> = {
  unknown_criterion: ['review.unknown_criterion', '评分项不存在。Unknown criterion.'],
  missing_criterion: ['review.missing_criterion', '评分表缺少评分项。A criterion is missing.'],
  out_of_range: ['review.score_out_of_range', '分值超出该评分项的范围。A score is out of its range.'],
  comment_required: ['review.comment_required', '低于阈值的评分须填写评语。A low score needs a comment.'],
};

export const ReviewErrors = {
  expertNotFound: (id: string) => new DomainError('not_found', 'review.expert_not_found', '未找到该评审专家。Expert not found.', { id }),
  assignmentNotFound: (id: string) =>
    new DomainError('not_found', 'review.assignment_not_found', '未找到该评审任务。Assignment not found.', { id }),
  panelNotFound: (applicationId: string) =>
    new DomainError('not_found', 'review.panel_not_found', '该申报书尚未抽取评审专家组。No panel for this dossier.', { applicationId }),
  panelExists: (applicationId: string | null) =>
    new DomainError('conflict', 'review.panel_exists', '该申报书已有进行中的专家组。The dossier already has an open panel.', {
      applicationId,
    }),
  notInExpertReview: (stage: string) =>
    new DomainError('conflict', 'review.not_in_expert_review', '申报书不在专家评审环节。The dossier is not at expert review.', { stage }),
  poolTooSmall: (needed: number, drawn: number, excluded: number) =>
    new DomainError('unprocessable', 'review.pool_too_small', '符合条件的专家不足，无法组成专家组。Too few eligible experts for a panel.', {
      needed,
      drawn,
      excluded,
    }),
  overrideUnknownExpert: (expertId: string) =>
    new DomainError(
      'validation',
      'review.override_unknown_expert',
      '回避豁免的专家不在专家库中。The overridden expert is not in the pool.',
      {
        expertId,
      },
    ),
  noVacancy: (applicationId: string) =>
    new DomainError(
      'conflict',
      'review.no_vacancy',
      '专家组没有空缺席位（或仍有备选专家），无需补抽。The panel has no vacant seat to redraw.',
      {
        applicationId,
      },
    ),
  nothingToDraw: (callId: string) =>
    new DomainError(
      'conflict',
      'review.nothing_to_draw',
      '该批次没有处于专家评审环节、尚未抽取专家组的申报书。No dossier of the call waits for a panel.',
      {
        callId,
      },
    ),
  notInCall: (applicationId: string, callId: string) =>
    new DomainError('validation', 'review.not_in_call', '申报书不属于该申报批次。The dossier is not in this call.', {
      applicationId,
      callId,
    }),
  panelClosed: () => new DomainError('conflict', 'review.panel_closed', '专家组已结束评审。The panel is closed.'),
  alreadyDeclared: () => new DomainError('conflict', 'review.already_declared', '已作出回避声明，不能重复声明。Already declared.'),
  conflictReasonRequired: () =>
    new DomainError('validation', 'review.conflict_reason_required', '申请回避须说明理由。A conflict needs a reason.'),
  declarationRequired: () =>
    new DomainError(
      'forbidden',
      'review.declaration_required',
      '请先声明与该申报单位无利益冲突。Declare that you have no conflict of interest first.',
    ),
  alreadyScored: () => new DomainError('conflict', 'review.already_scored', '已提交评分，不能重复提交。Scores already submitted.'),
  invalidSheet: (problems: SheetProblem[]) => {
    const [code, message] = SHEET_CODES[problems[0].problem];
    return new DomainError('validation', code, message, { problems });
  },
  invalidRubric: (problem: string) =>
    new DomainError('validation', 'review.invalid_rubric', `评分细则无效：${problem}。Invalid rubric.`, { problem }),
  invalidLink: () =>
    new DomainError('validation', 'review.invalid_link', '关联单位须填写名称或统一社会信用代码。A link needs a name or a credit code.'),
  panelRequired: (applicationId: string) =>
    new DomainError('conflict', 'review.panel_required', '须先抽取专家组并完成评审。Draw a panel and let it score first.', {
      applicationId,
    }),
  panelStillOpen: (applicationId: string) =>
    new DomainError('conflict', 'review.panel_open', '专家组尚未结束评审，请先结束专家组。Close the panel first.', { applicationId }),
  panelWithoutScores: (applicationId: string) =>
    new DomainError('conflict', 'review.no_scores', '专家组没有任何评分，无法得出评审结果。The panel has no scores.', { applicationId }),
};
