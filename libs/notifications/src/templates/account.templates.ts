import type { MailTemplate } from './template.types';

// Each link opens the web app's screen it names (apps/web, views/public): set a password (a reset, a staff account's first
// password, an invitation: `purpose` names which) and verify an address. Opening a screen changes nothing; its button does.
export const ACCOUNT_TEMPLATES = {
  'account.verify_email': {
    description: 'Sent after self-registration: confirms the applicant owns the address',
    'zh-CN': {
      subject: '【瓯流】请验证您的邮箱',
      text: '{{name}}，您好：\n\n您已为“{{organisationName}}”注册瓯流账号。请在{{expiresInHours}}小时内验证邮箱：\n{{baseUrl}}/app/account/verify-email?token={{token}}\n\n如非本人操作，请忽略本邮件。\n',
      html:
        '<p>{{name}}，您好：</p><p>您已为“{{organisationName}}”注册瓯流账号。请在{{expiresInHours}}小时内验证邮箱：</p>' +
        '<p><a href="{{baseUrl}}/app/account/verify-email?token={{token}}">{{baseUrl}}/app/account/verify-email?token={{token}}</a></p><p>如非本人操作，请忽略本邮件。</p>',
    },
    en: {
      subject: '[Ouflow] Please verify your email address',
      text: 'Hello {{name}},\n\nYou registered an Ouflow account for "{{organisationName}}". Please verify your address within {{expiresInHours}} hours:\n{{baseUrl}}/app/account/verify-email?token={{token}}\n\nIf this was not you, ignore this message.\n',
      html:
        '<p>Hello {{name}},</p><p>You registered an Ouflow account for "{{organisationName}}". Please verify your address within {{expiresInHours}} hours:</p>' +
        '<p><a href="{{baseUrl}}/app/account/verify-email?token={{token}}">{{baseUrl}}/app/account/verify-email?token={{token}}</a></p><p>If this was not you, ignore this message.</p>',
    },
    sample: { name: '张三', organisationName: '温州示例科技有限公司', token: 'sample-token', expiresInHours: 48 },
  },
  'account.set_password': {
    description: 'Sent when an administrator creates a staff account: the user sets a password',
    'zh-CN': {
      subject: '【瓯流】您的账号已开通，请设置密码',
      text: '{{name}}，您好：\n\n管理员已为您开通瓯流账号（角色：{{roleName}}）。请在{{expiresInHours}}小时内设置密码：\n{{baseUrl}}/app/account/reset?token={{token}}&purpose=account\n\n',
      html: '<p>{{name}}，您好：</p><p>管理员已为您开通瓯流账号（角色：{{roleName}}）。请在{{expiresInHours}}小时内设置密码：</p><p><a href="{{baseUrl}}/app/account/reset?token={{token}}&amp;purpose=account">{{baseUrl}}/app/account/reset?token={{token}}&amp;purpose=account</a></p>',
    },
    en: {
      subject: '[Ouflow] Your account is ready: please set a password',
      text: 'Hello {{name}},\n\nAn administrator opened an Ouflow account for you (role: {{roleName}}). Please set a password within {{expiresInHours}} hours:\n{{baseUrl}}/app/account/reset?token={{token}}&purpose=account\n\n',
      html: '<p>Hello {{name}},</p><p>An administrator opened an Ouflow account for you (role: {{roleName}}). Please set a password within {{expiresInHours}} hours:</p><p><a href="{{baseUrl}}/app/account/reset?token={{token}}&amp;purpose=account">{{baseUrl}}/app/account/reset?token={{token}}&amp;purpose=account</a></p>',
    },
    sample: { name: '李四', roleName: '县级管理员 / County officer', token: 'sample-token', expiresInHours: 72 },
  },
  'account.member_invitation': {
    description: "Sent when an organisation's first user invites a colleague",
    'zh-CN': {
      subject: '【瓯流】{{inviterName}}邀请您加入“{{organisationName}}”',
      text: '{{name}}，您好：\n\n{{inviterName}}邀请您以“{{organisationName}}”成员身份使用瓯流系统。请在{{expiresInHours}}小时内设置密码以接受邀请：\n{{baseUrl}}/app/account/reset?token={{token}}&purpose=invitation\n\n如您不认识邀请人，请忽略本邮件。\n',
      html:
        '<p>{{name}}，您好：</p><p>{{inviterName}}邀请您以“{{organisationName}}”成员身份使用瓯流系统。请在{{expiresInHours}}小时内设置密码以接受邀请：</p><p><a href="{{baseUrl}}/app/account/reset?token={{token}}&amp;purpose=invitation">{{baseUrl}}/app/account/reset?token={{token}}&amp;purpose=invitation</a></p>' +
        '<p>如您不认识邀请人，请忽略本邮件。</p>',
    },
    en: {
      subject: '[Ouflow] {{inviterName}} invited you to join "{{organisationName}}"',
      text: 'Hello {{name}},\n\n{{inviterName}} invited you to use Ouflow as a member of "{{organisationName}}". Set a password within {{expiresInHours}} hours to accept:\n{{baseUrl}}/app/account/reset?token={{token}}&purpose=invitation\n\nIf you do not know the sender, ignore this message.\n',
      html:
        '<p>Hello {{name}},</p><p>{{inviterName}} invited you to use Ouflow as a member of "{{organisationName}}". Set a password within {{expiresInHours}} hours to accept:</p><p><a href="{{baseUrl}}/app/account/reset?token={{token}}&amp;purpose=invitation">{{baseUrl}}/app/account/reset?token={{token}}&amp;purpose=invitation</a></p>' +
        '<p>If you do not know the sender, ignore this message.</p>',
    },
    sample: {
      name: '王五',
      inviterName: '张三',
      organisationName: '温州示例科技有限公司',
      token: 'sample-token',
      expiresInHours: 72,
    },
  },
  'account.password_reset': {
    description: 'Sent on request: resets a forgotten password',
    'zh-CN': {
      subject: '【瓯流】重置密码',
      text: '{{name}}，您好：\n\n我们收到了重置您瓯流账号密码的请求。请在{{expiresInMinutes}}分钟内重置密码：\n{{baseUrl}}/app/account/reset?token={{token}}\n\n如非本人操作，请忽略本邮件，您的密码不会改变。\n',
      html:
        '<p>{{name}}，您好：</p><p>我们收到了重置您瓯流账号密码的请求。请在{{expiresInMinutes}}分钟内重置密码：</p><p><a href="{{baseUrl}}/app/account/reset?token={{token}}">{{baseUrl}}/app/account/reset?token={{token}}</a></p>' +
        '<p>如非本人操作，请忽略本邮件，您的密码不会改变。</p>',
    },
    en: {
      subject: '[Ouflow] Reset your password',
      text: 'Hello {{name}},\n\nWe received a request to reset the password of your Ouflow account. Reset it within {{expiresInMinutes}} minutes:\n{{baseUrl}}/app/account/reset?token={{token}}\n\nIf this was not you, ignore this message; your password stays unchanged.\n',
      html:
        '<p>Hello {{name}},</p><p>We received a request to reset the password of your Ouflow account. Reset it within {{expiresInMinutes}} minutes:</p><p><a href="{{baseUrl}}/app/account/reset?token={{token}}">{{baseUrl}}/app/account/reset?token={{token}}</a></p>' +
        '<p>If this was not you, ignore this message; your password stays unchanged.</p>',
    },
    sample: { name: '张三', token: 'sample-token', expiresInMinutes: 60 },
  },
} satisfies Record<string, MailTemplate>;
