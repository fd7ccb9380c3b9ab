import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from './notification-delivery.entity';

export interface MailRecipient {
  email: string;
  userId?: string | null;
  locale?: Locale;
}

/** Every active account with a role, narrowed to one organisation or one county when given. */
export interface RecipientAudience {
  role: string;
  organisationId?: string | null;
  regionCode?: string | null;
}

/** Who answers for the accounts: the lib that owns them (identity), which sits above this one. */
export interface RecipientSource {
  /** For each audience, in the same order, the accounts it reaches (in the order they were created), in one statement. */
  recipientsFor(manager: EntityManager, audiences: readonly RecipientAudience[]): Promise<MailRecipient[][]>;
}

/**
 * The port through which this lib learns who an audience is, without reading the accounts' table:
 * the owner of the accounts registers itself when its module starts (as TransitionEffects' owners do).
 */
@Injectable()
export class RecipientDirectory implements RecipientSource {
  private source: RecipientSource | undefined;

  register(source: RecipientSource): void {
    if (this.source && this.source !== source) throw new Error('A recipient directory is already registered');
    this.source = source;
  }

  recipientsFor(manager: EntityManager, audiences: readonly RecipientAudience[]): Promise<MailRecipient[][]> {
    if (!this.source)
      throw new Error('No recipient directory registered: import the accounts module that provides it (UserRecipientsModule)');
    if (audiences.length === 0) return Promise.resolve([]);
    return this.source.recipientsFor(manager, audiences);
  }
}
