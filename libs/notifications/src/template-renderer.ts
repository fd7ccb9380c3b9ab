import Handlebars from 'handlebars';
import type { Locale } from './notification-delivery.entity';
import { type LocalisedTemplate, type MailEvent, TEMPLATES } from './templates';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface Branding {
  bureauNameZh: string;
  bureauNameEn: string;
  publicBaseUrl: string;
}

const LAYOUT_HTML = Handlebars.compile(
  `<!doctype html><html lang="{{lang}}"><head><meta charset="utf-8"><title>{{subject}}</title></head>` +
    `<body style="font-family: 'PingFang SC','Microsoft YaHei',sans-serif; color:#1f2937; line-height:1.6">` +
    `<div style="max-width:640px;margin:0 auto;padding:24px">` +
    `<div style="border-bottom:2px solid #b91c1c;padding-bottom:8px;margin-bottom:16px;font-weight:bold">{{bureau}} · 瓯流</div>` +
    `{{{body}}}` +
    `<p style="margin-top:24px;color:#6b7280;font-size:13px">{{signature}}<br>{{footer}}</p>` +
    `</div></body></html>`,
  { strict: true },
);

const TEXT_FOOTER: Record<Locale, (branding: Branding) => string> = {
  'zh-CN': (b) => `\n--\n${b.bureauNameZh}\n此邮件由瓯流系统自动发送，请勿直接回复。\n${b.publicBaseUrl}\n`,
  en: (b) => `\n--\n${b.bureauNameEn}\nThis message was sent by Ouflow; please do not reply to it.\n${b.publicBaseUrl}\n`,
};

type Compiled = { subject: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate };

/**
 * Renders templates with Handlebars: HTML values are escaped; subject and text are plain text,
 * so they are rendered unescaped but stripped of line breaks in the subject (no header injection).
 */
export class TemplateRenderer {
  private readonly cache = new Map<string, Compiled>();

  constructor(private readonly branding: Branding) {}

  render(event: MailEvent, locale: Locale, data: Record<string, unknown>): RenderedMail {
    const compiled = this.compiled(event, locale);
    const context = {
      ...data,
      bureauNameZh: this.branding.bureauNameZh,
      bureauNameEn: this.branding.bureauNameEn,
      baseUrl: this.branding.publicBaseUrl,
    };
    const subject = compiled
      .subject(context)
      .replace(/[\r\n]+/g, ' ')
      .trim();
    const body = compiled.html(context);
    return {
      subject,
      text: compiled.text(context) + TEXT_FOOTER[locale](this.branding),
      html: LAYOUT_HTML({
        lang: locale,
        subject,
        bureau: locale === 'en' ? this.branding.bureauNameEn : this.branding.bureauNameZh,
        body,
        signature: locale === 'en' ? this.branding.bureauNameEn : this.branding.bureauNameZh,
        footer:
          locale === 'en' ? 'This message was sent by Ouflow; please do not reply to it.' : '此邮件由瓯流系统自动发送，请勿直接回复。',
      }),
    };
  }

  private compiled(event: MailEvent, locale: Locale): Compiled {
    const key = `${event}:${locale}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      const source: LocalisedTemplate = TEMPLATES[event][locale];
      compiled = {
        subject: Handlebars.compile(source.subject, { noEscape: true, strict: true }),
        text: Handlebars.compile(source.text, { noEscape: true, strict: true }),
        html: Handlebars.compile(source.html, { strict: true }),
      };
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
