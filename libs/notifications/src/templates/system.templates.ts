import type { MailTemplate } from './template.types';

export const SYSTEM_TEMPLATES = {
  'system.test': {
    description: 'A test message an administrator sends to check mail delivery',
    'zh-CN': {
      subject: '【瓯流】测试邮件：{{note}}',
      text: '您好：\n\n这是一封来自瓯流系统的测试邮件。\n备注：{{note}}\n',
      html: '<p>您好：</p><p>这是一封来自瓯流系统的测试邮件。</p><p>备注：{{note}}</p>',
    },
    en: {
      subject: '[Ouflow] Test message: {{note}}',
      text: 'Hello,\n\nThis is a test message from Ouflow.\nNote: {{note}}\n',
      html: '<p>Hello,</p><p>This is a test message from Ouflow.</p><p>Note: {{note}}</p>',
    },
    sample: { note: '邮件通道检查' },
  },
} satisfies Record<string, MailTemplate>;
