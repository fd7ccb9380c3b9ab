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

/** What the worker last learnt of its SMTP server: `up` is null until it has sent or probed once. */
export interface SmtpHealth {
  up: boolean | null;
  checkedAt: Date | null;
  error: string | null;
}

/** The server did not answer, or answered that it is unavailable (421): not a refusal of one message. */
function serverAway(failure: SmtpFailure): boolean {
  return failure.smtpCode === null || failure.smtpCode === 421;
}

/** Pooled SMTP connection to SMTP_URL. */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private transport: Transporter<SMTPTransport.SentMessageInfo> | undefined;
  private probeTransport: Transporter | undefined;
  private probing: Promise<void> | undefined;
  private observed: SmtpHealth = { up: null, checkedAt: null, error: null };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * The SMTP server's state as the sends saw it; when nothing was sent for `maxAgeMs`, one EHLO
   * probe (never more than one at a time), so an idle worker still knows, and a busy one opens nothing extra.
   */
  async health(maxAgeMs: number): Promise<SmtpHealth> {
    const fresh = this.observed.checkedAt !== null && Date.now() - this.observed.checkedAt.getTime() < maxAgeMs;
    if (!fresh) {
      this.probing ??= this.probe().finally(() => (this.probing = undefined));
      await this.probing;
    }
    return { ...this.observed };
  }

  private async probe(): Promise<void> {
    if (!this.config.smtpUrl) return this.observe(false, 'SMTP_URL is not set');
    this.probeTransport ??= createTransport({
      url: this.config.smtpUrl,
      connectionTimeout: 2000,
      greetingTimeout: 2000,
      socketTimeout: 2000,
    } as SMTPTransport.Options);
    try {
      await this.probeTransport.verify();
      this.observe(true, null);
    } catch (error) {
      const failure = classifySmtpError(error);
      this.observe(!serverAway(failure), failure.message);
    }
  }

  private observe(up: boolean, error: string | null): void {
    this.observed = { up, checkedAt: new Date(), error };
  }

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
      this.observe(true, null);
      return { messageId: info.messageId, response: info.response };
    } catch (error) {
      const failure = classifySmtpError(error);
      this.observe(!serverAway(failure), failure.message);
      throw failure;
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
    this.probeTransport?.close();
  }
}
