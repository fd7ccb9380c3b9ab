import { join } from 'node:path';
import { assertPortFree } from '@app/database';

export interface MailCatcherHandle {
  smtpUrl: string;
  inboxUrl: string;
  stop(): Promise<void>;
}

/** Starts maildev: an SMTP server that keeps every message, with a web inbox. */
export async function startMailCatcher(options: { dataDir: string; smtpPort: number; webPort: number }): Promise<MailCatcherHandle> {
  await assertPortFree(options.smtpPort, 'the mail catcher (SMTP)', 'MAIL_CATCHER_SMTP_PORT');
  await assertPortFree(options.webPort, 'the mail catcher (web inbox)', 'MAIL_CATCHER_WEB_PORT');
  // maildev is ESM and a development dependency: loaded only in embedded mode.
  const { MailDev } = await import('maildev');
  const maildev = new MailDev({
    smtp: options.smtpPort,
    web: options.webPort,
    ip: '127.0.0.1',
    webIp: '127.0.0.1',
    silent: true,
    mailDirectory: join(options.dataDir, 'mail'),
  });
  await maildev.start();
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    inboxUrl: `http://localhost:${options.webPort}`,
    stop: () => maildev.stop(),
  };
}
