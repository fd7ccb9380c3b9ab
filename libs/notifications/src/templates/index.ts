import { ACCOUNT_TEMPLATES } from './account.templates';
import { APPLICATION_TEMPLATES } from './application.templates';
import { DEADLINE_TEMPLATES } from './deadline.templates';
import { REGISTRY_TEMPLATES } from './registry.templates';
import { REVIEW_TEMPLATES } from './review.templates';
import { SYSTEM_TEMPLATES } from './system.templates';
import type { MailTemplate } from './template.types';

/** Every email Ouflow sends, by event. Each lib adds its own file and one spread here. */
export const TEMPLATES = {
  ...SYSTEM_TEMPLATES,
  ...DEADLINE_TEMPLATES,
  ...APPLICATION_TEMPLATES,
  ...ACCOUNT_TEMPLATES,
  ...REGISTRY_TEMPLATES,
  ...REVIEW_TEMPLATES,
} satisfies Record<string, MailTemplate>;

export type MailEvent = keyof typeof TEMPLATES;

export function isMailEvent(event: string): event is MailEvent {
  return Object.prototype.hasOwnProperty.call(TEMPLATES, event);
}

export type { LocalisedTemplate, MailTemplate } from './template.types';
