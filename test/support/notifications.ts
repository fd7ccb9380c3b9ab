import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { INestApplicationContext } from '@nestjs/common';
import { type MailNotice, NotificationsService } from '../../libs/notifications/src';

/** Commits a transaction that enqueues the given mails, as a domain change would. */
export async function commitMails(app: INestApplicationContext, notices: MailNotice[]): Promise<string[]> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const notifications = app.get(NotificationsService);
  return dataSource.transaction(async (manager) => {
    const ids: string[] = [];
    for (const notice of notices) ids.push(...(await notifications.enqueueMail(manager, notice)));
    return ids;
  });
}

export async function deliveryStates(app: INestApplicationContext): Promise<Record<string, number>> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const rows: { state: string; count: string }[] = await dataSource.query(
    `SELECT state, count(*) AS count FROM notification_delivery GROUP BY state`,
  );
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
}

export const testMail = (email: string, note = '测试'): MailNotice => ({ event: 'system.test', to: [{ email }], data: { note } });
