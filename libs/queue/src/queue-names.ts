/**
 * Every queue and job of Ouflow, in one typed table (job name -> payload). Payloads carry ids,
 * never personal data: a processor re-reads what it needs from the database.
 */
export const QueueName = {
  /** Diagnostics: proves the worker is alive and consuming. */
  system: 'system',
  /** One job per batch of mail (the mails one transaction queued). */
  mail: 'mail',
  /** Delayed jobs: reminders, escalations, end of a public notice. */
  timers: 'timers',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

export interface JobPayloads {
  'system.ping': { requestedAt: string };
  /** Send the notification_delivery rows of one batch that are still owed. */
  'mail.deliver': { batchId: string };
  /** Fire one notification_timer row. */
  'timer.fire': { timerId: string };
}

export type JobName = keyof JobPayloads;

export interface PingResult {
  pid: number;
  processedAt: string;
  requestedAt: string;
}
