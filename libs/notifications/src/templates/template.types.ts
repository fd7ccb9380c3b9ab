export interface LocalisedTemplate {
  /** Handlebars source; values are HTML-escaped in `html`, and subject/text are rendered without escaping but from plain text. */
  subject: string;
  text: string;
  html: string;
}

export interface MailTemplate {
  description: string;
  'zh-CN': LocalisedTemplate;
  en: LocalisedTemplate;
  /** Example variables, used by the admin preview and the template tests. */
  sample: Record<string, unknown>;
}
