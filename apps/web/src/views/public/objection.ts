import type { Schemas } from '../../api';

export type ObjectorType = Schemas['ObjectionRequest']['objectorType'];

/** An objection the API accepted: what its receipt shows. */
export interface Lodged {
  receipt: string;
  lodgedAt: string;
  objectorType: ObjectorType;
  candidateName: string;
}

/** The sealed letter's limits (the API checks them too: a PDF by content, up to 5 MB). */
export const LETTER_MAX_BYTES = 5 * 1024 * 1024;
