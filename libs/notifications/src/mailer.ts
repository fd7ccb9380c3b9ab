import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { APP_CONFIG, type AppConfig } from '@app/config';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Our own Message-ID, so a duplicate can be recognised at the receiving end. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface SmtpOutcome {
  messageId: string;
  response: string;
}

/** A failed send, classified: permanent (5xx) goes dead at once, transient (4xx, network) is retried. */
export class SmtpFailure extends Error {
  constructor(
    readonly permanent: boolean,
    readonly smtpCode: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'SmtpFailure';
  }
}

export function classifySmtpError(error: unknown): SmtpFailure {
  const e = error as { responseCode?: number; code?: string; response?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const reason = (e.response ?? e.message ?? String(error)).slice(0, 1000);
  if (code !== null && code >= 500 && code < 600) return new SmtpFailure(true, code, reason);
  return new SmtpFailure(false, code, `${e.code ? `${e.code}: ` : ''}${reason}`);
}

/** Pooled SMTP connection to SMTP_URL. */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private transport: Transporter<SMTPTransport.SentMessageInfo> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(mail: OutgoingMail): Promise<SmtpOutcome> {
    if (!this.config.smtpUrl) throw new SmtpFailure(false, null, 'SMTP_URL is not set');
    this.transport ??= createTransport({
      url: this.config.smtpUrl,
      pool: true,
      maxConnections: 5,
      maxMessages: 200,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as SMTPTransport.Options);
    try {
      const info = await this.transport.sendMail({
        from: this.config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      });
      return { messageId: info.messageId, response: info.response };
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
