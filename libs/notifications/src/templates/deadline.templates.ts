import type { MailTemplate } from './template.types';

export const DEADLINE_TEMPLATES = {
  'deadline.reminder': {
    description: 'Reminds the people who must act that a stage deadline is near or past',
    'zh-CN': {
      subject: '【瓯流】办理提醒：{{subjectLabel}}（{{stageLabel}}）{{#if overdue}}已逾期{{else}}截止日期 {{deadline}}{{/if}}',
      text: '您好：\n\n{{subjectLabel}} 正处于“{{stageLabel}}”环节，办理截止日期为 {{deadline}}（工作日计）。{{#if overdue}}目前已逾期，请尽快办理。{{else}}请在截止日期前办理。{{/if}}\n\n这是第 {{reminderNumber}} 次提醒。\n{{baseUrl}}\n',
      html: '<p>您好：</p><p>{{subjectLabel}} 正处于“{{stageLabel}}”环节，办理截止日期为 <strong>{{deadline}}</strong>（工作日计）。{{#if overdue}}目前已逾期，请尽快办理。{{else}}请在截止日期前办理。{{/if}}</p><p>这是第 {{reminderNumber}} 次提醒。</p>',
    },
    en: {
      subject: '[Ouflow] Reminder: {{subjectLabel}} ({{stageLabel}}) {{#if overdue}}is overdue{{else}}due {{deadline}}{{/if}}',
      text: 'Hello,\n\n{{subjectLabel}} is at the stage "{{stageLabel}}", due on {{deadline}} (working days). {{#if overdue}}It is overdue; please act now.{{else}}Please act before the deadline.{{/if}}\n\nReminder {{reminderNumber}}.\n{{baseUrl}}\n',
      html: '<p>Hello,</p><p>{{subjectLabel}} is at the stage "{{stageLabel}}", due on <strong>{{deadline}}</strong> (working days). {{#if overdue}}It is overdue; please act now.{{else}}Please act before the deadline.{{/if}}</p><p>Reminder {{reminderNumber}}.</p>',
    },
    sample: {
      subjectLabel: '申报书 WZ-INC-2027-0042',
      stageLabel: '属地初审推荐',
      deadline: '2027-04-16',
      overdue: false,
      reminderNumber: 1,
    },
  },
  'deadline.escalation': {
    description: 'Tells the supervising role that a stage is overdue after the last reminder',
    'zh-CN': {
      subject: '【瓯流】逾期督办：{{subjectLabel}}（{{stageLabel}}）',
      text: '您好：\n\n{{subjectLabel}} 的“{{stageLabel}}”环节已于 {{deadline}} 到期，经 {{reminders}} 次提醒仍未办理，请督促处理。\n{{baseUrl}}\n',
      html: '<p>您好：</p><p>{{subjectLabel}} 的“{{stageLabel}}”环节已于 <strong>{{deadline}}</strong> 到期，经 {{reminders}} 次提醒仍未办理，请督促处理。</p>',
    },
    en: {
      subject: '[Ouflow] Overdue: {{subjectLabel}} ({{stageLabel}})',
      text: 'Hello,\n\nThe stage "{{stageLabel}}" of {{subjectLabel}} was due on {{deadline}} and is still open after {{reminders}} reminders. Please follow up.\n{{baseUrl}}\n',
      html: '<p>Hello,</p><p>The stage "{{stageLabel}}" of {{subjectLabel}} was due on <strong>{{deadline}}</strong> and is still open after {{reminders}} reminders. Please follow up.</p>',
    },
    sample: { subjectLabel: '申报书 WZ-INC-2027-0042', stageLabel: '属地初审推荐', deadline: '2027-04-16', reminders: 3 },
  },
} satisfies Record<string, MailTemplate>;
