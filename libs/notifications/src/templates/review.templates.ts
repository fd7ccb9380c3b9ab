import type { MailTemplate } from './template.types';

const task = {
  taskZh: '回避声明',
  taskEn: 'conflict declaration',
  dossierLabel: 'WZ-INC-2027-0042 瓯江科创孵化器',
  deadline: '2027-04-16',
};

/** The expert reviews' mails: reminders to experts and inspection teams, escalations and conflicts to the bureau. */
export const REVIEW_TEMPLATES = {
  'review.reminder': {
    description: 'Reminds an expert or an inspection team member of a review task near or past its due date',
    'zh-CN': {
      subject: '【瓯流】评审提醒：{{taskZh}}（{{dossierLabel}}）{{#if overdue}}已逾期{{else}}截止日期 {{deadline}}{{/if}}',
      text: '您好：\n\n您在申报书“{{dossierLabel}}”的评审任务“{{taskZh}}”截止日期为 {{deadline}}（工作日计）。{{#if overdue}}目前已逾期，请尽快办理。{{else}}请在截止日期前办理。{{/if}}\n\n这是第 {{reminderNumber}} 次提醒。\n{{baseUrl}}\n',
      html: '<p>您好：</p><p>您在申报书“{{dossierLabel}}”的评审任务“<strong>{{taskZh}}</strong>”截止日期为 <strong>{{deadline}}</strong>（工作日计）。{{#if overdue}}目前已逾期，请尽快办理。{{else}}请在截止日期前办理。{{/if}}</p><p>这是第 {{reminderNumber}} 次提醒。</p>',
    },
    en: {
      subject: '[Ouflow] Review reminder: {{taskEn}} ({{dossierLabel}}) {{#if overdue}}is overdue{{else}}due {{deadline}}{{/if}}',
      text: 'Hello,\n\nYour review task "{{taskEn}}" on the dossier "{{dossierLabel}}" is due on {{deadline}} (working days). {{#if overdue}}It is overdue; please act now.{{else}}Please act before the due date.{{/if}}\n\nReminder {{reminderNumber}}.\n{{baseUrl}}\n',
      html: '<p>Hello,</p><p>Your review task "<strong>{{taskEn}}</strong>" on the dossier "{{dossierLabel}}" is due on <strong>{{deadline}}</strong> (working days). {{#if overdue}}It is overdue; please act now.{{else}}Please act before the due date.{{/if}}</p><p>Reminder {{reminderNumber}}.</p>',
    },
    sample: { ...task, overdue: false, reminderNumber: 1 },
  },
  'review.escalation': {
    description: 'Tells the bureau officers that a review task is still open after its due date and the reminders',
    'zh-CN': {
      subject: '【瓯流】评审逾期督办：{{taskZh}}（{{dossierLabel}}）',
      text: '您好：\n\n申报书“{{dossierLabel}}”的评审任务“{{taskZh}}”已于 {{deadline}} 到期，{{people}} 经 {{reminders}} 次提醒仍未办理，请督促处理或调整人选。\n{{baseUrl}}\n',
      html: '<p>您好：</p><p>申报书“{{dossierLabel}}”的评审任务“<strong>{{taskZh}}</strong>”已于 <strong>{{deadline}}</strong> 到期，{{people}} 经 {{reminders}} 次提醒仍未办理，请督促处理或调整人选。</p>',
    },
    en: {
      subject: '[Ouflow] Review overdue: {{taskEn}} ({{dossierLabel}})',
      text: 'Hello,\n\nThe review task "{{taskEn}}" on the dossier "{{dossierLabel}}" was due on {{deadline}}; {{people}} still had not acted after {{reminders}} reminders. Please follow up or change the people.\n{{baseUrl}}\n',
      html: '<p>Hello,</p><p>The review task "<strong>{{taskEn}}</strong>" on the dossier "{{dossierLabel}}" was due on <strong>{{deadline}}</strong>; {{people}} still had not acted after {{reminders}} reminders. Please follow up or change the people.</p>',
    },
    sample: { ...task, people: '评审专家 张三', reminders: 2 },
  },
  'review.conflict_declared': {
    description: 'Tells the bureau officers that an expert declared a conflict, and whether a reserve took the seat',
    'zh-CN': {
      subject: '【瓯流】专家申请回避：{{dossierLabel}}{{#if vacant}}（专家组出现空缺）{{/if}}',
      text: '您好：\n\n评审专家 {{expertName}} 就申报书“{{dossierLabel}}”申请回避，理由：{{reason}}\n{{#if vacant}}备选专家已用完，专家组现有 {{vacancies}} 个空缺席位，请补抽专家。{{else}}已由备选专家 {{reserveName}} 递补。{{/if}}\n{{baseUrl}}\n',
      html: '<p>您好：</p><p>评审专家 {{expertName}} 就申报书“{{dossierLabel}}”申请回避，理由：{{reason}}</p>{{#if vacant}}<p><strong>备选专家已用完，专家组现有 {{vacancies}} 个空缺席位，请补抽专家。</strong></p>{{else}}<p>已由备选专家 {{reserveName}} 递补。</p>{{/if}}',
    },
    en: {
      subject: '[Ouflow] Expert conflict declared: {{dossierLabel}}{{#if vacant}} (panel seat vacant){{/if}}',
      text: 'Hello,\n\nThe expert {{expertName}} declared a conflict of interest on the dossier "{{dossierLabel}}". Reason: {{reason}}\n{{#if vacant}}No reserve is left: the panel has {{vacancies}} vacant seat(s); please redraw them.{{else}}The reserve {{reserveName}} took the seat.{{/if}}\n{{baseUrl}}\n',
      html: '<p>Hello,</p><p>The expert {{expertName}} declared a conflict of interest on the dossier "{{dossierLabel}}". Reason: {{reason}}</p>{{#if vacant}}<p><strong>No reserve is left: the panel has {{vacancies}} vacant seat(s); please redraw them.</strong></p>{{else}}<p>The reserve {{reserveName}} took the seat.</p>{{/if}}',
    },
    sample: {
      dossierLabel: task.dossierLabel,
      expertName: '张三',
      reason: '本人曾在申报单位任职',
      vacant: false,
      vacancies: 0,
      reserveName: '李四',
    },
  },
} satisfies Record<string, MailTemplate>;
