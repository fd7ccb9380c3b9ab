import type { MailTemplate } from './template.types';

export const REGISTRY_TEMPLATES = {
  'platform.revocation_suggested': {
    description: 'Tells the bureau that a recognised platform meets a ground for revocation (two failing grades, a failed rectification)',
    'zh-CN': {
      subject: '【瓯流】建议撤销认定：{{name}}（{{reasonLabel}}）',
      text: '您好：\n\n已认定平台“{{name}}”（认定文号 {{documentNumber}}）{{reasonLabel}}，符合撤销认定的情形，请研究是否撤销。\n{{#if note}}说明：{{note}}\n{{/if}}',
      html: '<p>您好：</p><p>已认定平台“{{name}}”（认定文号 {{documentNumber}}）<strong>{{reasonLabel}}</strong>，符合撤销认定的情形，请研究是否撤销。</p>{{#if note}}<p>说明：{{note}}</p>{{/if}}',
    },
    en: {
      subject: '[Ouflow] Revocation suggested: {{name}} ({{reasonLabelEn}})',
      text: 'Hello,\n\nThe recognised platform "{{name}}" (decision {{documentNumber}}) meets a ground for revocation: {{reasonLabelEn}}. Please decide whether to revoke it.\n{{#if note}}Note: {{note}}\n{{/if}}',
      html: '<p>Hello,</p><p>The recognised platform "{{name}}" (decision {{documentNumber}}) meets a ground for revocation: <strong>{{reasonLabelEn}}</strong>. Please decide whether to revoke it.</p>{{#if note}}<p>Note: {{note}}</p>{{/if}}',
    },
    sample: {
      name: '瓯江科创孵化器',
      documentNumber: '温科发〔2024〕7号',
      reasonLabel: '整改不合格',
      reasonLabelEn: 'failed rectification',
      note: '整改期满复查，在孵企业仍不足 30 家',
    },
  },
} satisfies Record<string, MailTemplate>;
