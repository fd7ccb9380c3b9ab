/** A tree of messages: strings, or groups of them. */
export interface MessageTree {
  [key: string]: string | MessageTree;
}

/** The registry, targets, calendar and dead-mail screens' messages, merged into bureau/messages.ts: used as t('bureau.<key>'). */
const zh: MessageTree = {};

const en: MessageTree = {};

export default { zh, en };
