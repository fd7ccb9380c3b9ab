import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait';

export interface CaughtMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string | undefined;
  headers: ParsedMail['headers'];
}

/**
 * A real SMTP server for tests. `failWith(421 | 550, count)` makes it refuse the next messages
 * with that reply, the way a busy or a rejecting server would (`failFor` to one address only). `stop()` then `start()` brings it
 * back on the same port with the messages kept, as a restarted server would be.
 */
export class SmtpCatcher {
  readonly messages: CaughtMail[] = [];
  private server: SMTPServer | undefined;
  private failures: { code: number; remaining: number } | undefined;
  private failuresFor = new Map<string, { code: number; remaining: number }>();
  port = 0;
  /** Runs when a message has arrived, before the server answers 250 (a fault test's moment between accept and record). */
  beforeAccept: ((mail: CaughtMail) => Promise<void>) | undefined;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      // On stop, open sessions get 421 after this long instead of 30 s.
      closeTimeout: 500,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const own = this.failuresFor.get(address.address.toLowerCase());
        const failure = own && own.remaining > 0 ? own : this.failures;
        if (failure && failure.remaining > 0) {
          failure.remaining -= 1;
          const reason =
            failure.code === 421
              ? 'Service busy, try again later'
              : failure.code === 451
                ? 'Local error, try again later'
                : 'Mailbox unavailable';
          const error = new Error(reason) as Error & {
            responseCode: number;
          };
          error.responseCode = failure.code;
          return callback(error);
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((t) => t.value.map((v) => v.address ?? ''));
            const caught: CaughtMail = {
              to,
              from: mail.from?.value[0]?.address ?? '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId,
              headers: mail.headers,
            };
            this.messages.push(caught);
            await this.beforeAccept?.(caught);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    // A client killed mid-session (the fault tests SIGKILL the worker) resets its connection: not the catcher's failure.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  failWith(code: 421 | 550, count: number): void {
    this.failures = { code, remaining: count };
  }

  /** Refuses the next `count` messages to one address only (451: a 4xx that keeps the connection open, unlike 421). */
  failFor(address: string, code: 421 | 451 | 550, count: number): void {
    this.failuresFor.set(address.toLowerCase(), { code, remaining: count });
  }

  to(address: string): CaughtMail[] {
    return this.messages.filter((message) => message.to.includes(address));
  }

  waitForMail(address: string, count = 1, timeoutMs = 15_000): Promise<CaughtMail[]> {
    return waitFor(() => (this.to(address).length >= count ? this.to(address) : undefined), {
      timeoutMs,
      what: `${count} mail(s) to ${address}`,
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
