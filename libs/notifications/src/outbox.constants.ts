/** The PostgreSQL channel the relay LISTENs on. */
export const OUTBOX_CHANNEL = 'ouflow_outbox';
