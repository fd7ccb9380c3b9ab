import type { MailTemplate } from './template.types';

const sample = {
  number: 'WZ-INC-2027-0042',
  name: '瓯江科创孵化器',
  stageLabel: '形式审查',
  stageLabelEn: 'formal review',
  comment: '',
  deadline: '2027-04-16',
  dossierId: '0b9c3f0e-5d6a-4c1e-9a57-6f0d2a4b8e11',
};

export const APPLICATION_TEMPLATES = {
  'application.stage_changed': {
    description: 'Tells the applicant that the dossier moved to the next stage',
    'zh-CN': {
      subject: '【瓯流】申报书 {{number}} 已进入“{{stageLabel}}”环节',
      text: '您好：\n\n贵单位申报的“{{name}}”（{{number}}）已进入“{{stageLabel}}”环节。{{#if comment}}\n意见：{{comment}}{{/if}}\n查看申报书：{{baseUrl}}/app/dossiers/{{dossierId}}\n',
      html: '<p>您好：</p><p>贵单位申报的“{{name}}”（{{number}}）已进入“<strong>{{stageLabel}}</strong>”环节。</p>{{#if comment}}<p>意见：{{comment}}</p>{{/if}}<p><a href="{{baseUrl}}/app/dossiers/{{dossierId}}">查看申报书</a></p>',
    },
    en: {
      subject: '[Ouflow] Dossier {{number}} moved to {{stageLabelEn}}',
      text: 'Hello,\n\nYour dossier "{{name}}" ({{number}}) is now at the stage: {{stageLabelEn}}.{{#if comment}}\nComment: {{comment}}{{/if}}\nOpen the dossier: {{baseUrl}}/app/dossiers/{{dossierId}}\n',
      html: '<p>Hello,</p><p>Your dossier "{{name}}" ({{number}}) is now at the stage: <strong>{{stageLabelEn}}</strong>.</p>{{#if comment}}<p>Comment: {{comment}}</p>{{/if}}<p><a href="{{baseUrl}}/app/dossiers/{{dossierId}}">Open the dossier</a></p>',
    },
    sample,
  },
  'application.task_assigned': {
    description: 'Tells the officers of the next stage that a dossier waits for them',
    'zh-CN': {
      subject: '【瓯流】待办：申报书 {{number}}（{{stageLabel}}）',
      text: '您好：\n\n申报书“{{name}}”（{{number}}）待您办理“{{stageLabel}}”，截止日期 {{deadline}}（工作日计）。\n查看申报书：{{baseUrl}}/app/dossiers/{{dossierId}}\n',
      html: '<p>您好：</p><p>申报书“{{name}}”（{{number}}）待您办理“<strong>{{stageLabel}}</strong>”，截止日期 {{deadline}}（工作日计）。</p><p><a href="{{baseUrl}}/app/dossiers/{{dossierId}}">查看申报书</a></p>',
    },
    en: {
      subject: '[Ouflow] To do: dossier {{number}} ({{stageLabelEn}})',
      text: 'Hello,\n\nThe dossier "{{name}}" ({{number}}) waits for your {{stageLabelEn}}, due {{deadline}} (working days).\nOpen the dossier: {{baseUrl}}/app/dossiers/{{dossierId}}\n',
      html: '<p>Hello,</p><p>The dossier "{{name}}" ({{number}}) waits for your <strong>{{stageLabelEn}}</strong>, due {{deadline}} (working days).</p><p><a href="{{baseUrl}}/app/dossiers/{{dossierId}}">Open the dossier</a></p>',
    },
    sample,
  },
  'application.returned': {
    description: 'Tells the applicant that the dossier was returned for revision, with the reasons',
    'zh-CN': {
      subject: '【瓯流】申报书 {{number}} 被退回补正',
      text: '您好：\n\n贵单位申报的“{{name}}”（{{number}}）在“{{stageLabel}}”环节被退回补正。\n意见：{{comment}}\n请在 {{deadline}} 前修改后重新提交。\n查看申报书：{{baseUrl}}/app/dossiers/{{dossierId}}\n',
      html: '<p>您好：</p><p>贵单位申报的“{{name}}”（{{number}}）在“{{stageLabel}}”环节被退回补正。</p><p>意见：{{comment}}</p><p>请在 <strong>{{deadline}}</strong> 前修改后重新提交。</p><p><a href="{{baseUrl}}/app/dossiers/{{dossierId}}">查看申报书</a></p>',
    },
    en: {
      subject: '[Ouflow] Dossier {{number}} returned for revision',
      text: 'Hello,\n\nYour dossier "{{name}}" ({{number}}) was returned for revision at {{stageLabelEn}}.\nComment: {{comment}}\nPlease revise and resubmit before {{deadline}}.\nOpen the dossier: {{baseUrl}}/app/dossiers/{{dossierId}}\n',
      html: '<p>Hello,</p><p>Your dossier "{{name}}" ({{number}}) was returned for revision at {{stageLabelEn}}.</p><p>Comment: {{comment}}</p><p>Please revise and resubmit before <strong>{{deadline}}</strong>.</p><p><a href="{{baseUrl}}/app/dossiers/{{dossierId}}">Open the dossier</a></p>',
    },
    sample: { ...sample, comment: '请补充场地租赁合同' },
  },
  'application.decided': {
    description: 'Tells the applicant the outcome: recognised or not',
    'zh-CN': {
      subject: '【瓯流】申报书 {{number}}：{{stageLabel}}',
      text: '您好：\n\n贵单位申报的“{{name}}”（{{number}}）结果：{{stageLabel}}。{{#if documentNumber}}\n认定文号：{{documentNumber}}{{/if}}{{#if comment}}\n意见：{{comment}}{{/if}}\n查看申报书：{{baseUrl}}/app/dossiers/{{dossierId}}\n',
      html: '<p>您好：</p><p>贵单位申报的“{{name}}”（{{number}}）结果：<strong>{{stageLabel}}</strong>。</p>{{#if documentNumber}}<p>认定文号：{{documentNumber}}</p>{{/if}}{{#if comment}}<p>意见：{{comment}}</p>{{/if}}<p><a href="{{baseUrl}}/app/dossiers/{{dossierId}}">查看申报书</a></p>',
    },
    en: {
      subject: '[Ouflow] Dossier {{number}}: {{stageLabelEn}}',
      text: 'Hello,\n\nThe outcome for your dossier "{{name}}" ({{number}}): {{stageLabelEn}}.{{#if documentNumber}}\nDecision document: {{documentNumber}}{{/if}}{{#if comment}}\nComment: {{comment}}{{/if}}\nOpen the dossier: {{baseUrl}}/app/dossiers/{{dossierId}}\n',
      html: '<p>Hello,</p><p>The outcome for your dossier "{{name}}" ({{number}}): <strong>{{stageLabelEn}}</strong>.</p>{{#if documentNumber}}<p>Decision document: {{documentNumber}}</p>{{/if}}{{#if comment}}<p>Comment: {{comment}}</p>{{/if}}<p><a href="{{baseUrl}}/app/dossiers/{{dossierId}}">Open the dossier</a></p>',
    },
    sample: { ...sample, stageLabel: '已认定', stageLabelEn: 'recognised', documentNumber: '温科发〔2027〕12号' },
  },
} satisfies Record<string, MailTemplate>;
