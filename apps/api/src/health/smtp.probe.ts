import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { APP_CONFIG, type AppConfig } from '@app/config';

/** Checks that the SMTP server answers (EHLO), without sending anything. */
@Injectable()
export class SmtpProbe implements OnModuleDestroy {
  private transport: Transporter | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async verify(): Promise<void> {
    if (!this.config.smtpUrl) throw new Error('SMTP_URL is not set');
    this.transport ??= createTransport({
      url: this.config.smtpUrl,
      connectionTimeout: 2000,
      greetingTimeout: 2000,
      socketTimeout: 2000,
    } as SMTPTransport.Options);
    await this.transport.verify();
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
