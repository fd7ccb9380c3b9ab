/** The PostgreSQL channel the relay LISTENs on. */
export const OUTBOX_CHANNEL = 'ouflow_outbox';

/**
 * The outbox rows the relay owes the queue: not dispatched yet, and due within its horizon
 * (`$<horizonParam>`: RELAY_HORIZON_MS as text). The relay claims them; /metrics counts them.
 */
export function dueOutboxRows(alias: string, horizonParam: number): string {
  return `${alias}.dispatched_at IS NULL AND ${alias}.available_at <= now() + ($${horizonParam} || ' milliseconds')::interval`;
}
