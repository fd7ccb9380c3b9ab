import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type MailRecipient,
  NotificationsModule,
  RecipientDirectory,
  type RecipientAudience,
  type RecipientSource,
} from '@app/notifications';
import type { User } from './user.entity';

/** The active accounts of every audience, in one statement; `ord` says which audience (1-based) a row answers. */
const ACCOUNTS_OF_AUDIENCES = `SELECT a.ord::int AS ord, u.id, lower(u.email) AS email, u.locale
   FROM unnest($1::text[], $2::uuid[], $3::text[]) WITH ORDINALITY AS a(role, organisation_id, region_code, ord)
   JOIN app_user u ON u.role = a.role AND u.disabled = false
                  AND (a.organisation_id IS NULL OR u.organisation_id = a.organisation_id)
                  AND (a.region_code IS NULL OR u.region_code = a.region_code)
  ORDER BY a.ord, u.created_at`;

/** Identity answers notifications' question "who is this audience?" over its own table, so notifications never reads it. */
@Injectable()
export class UserRecipients implements RecipientSource, OnModuleInit {
  constructor(private readonly directory: RecipientDirectory) {}

  onModuleInit(): void {
    this.directory.register(this);
  }

  async recipientsFor(manager: EntityManager, audiences: readonly RecipientAudience[]): Promise<MailRecipient[][]> {
    const rows: { ord: number; id: string; email: string; locale: User['locale'] }[] = await manager.query(ACCOUNTS_OF_AUDIENCES, [
      audiences.map((a) => a.role),
      audiences.map((a) => a.organisationId ?? null),
      audiences.map((a) => a.regionCode ?? null),
    ]);
    const found = audiences.map((): MailRecipient[] => []);
    for (const row of rows) found[row.ord - 1].push({ email: row.email, userId: row.id, locale: row.locale });
    return found;
  }
}

/** What a process that sends mail to accounts needs of identity (the worker's reminders, the API's transitions). */
@Module({
  imports: [NotificationsModule],
  providers: [UserRecipients],
})
export class UserRecipientsModule {}
