/**
 * The outbox's stored format, the TypeScript twin of lua/include/outbox.lua: one stream entry per domain event with
 * the fields `id`, `type`, `at` (ms), `data` (JSON), `user` (the user it concerns, '' none) and `owners` (the managers
 * whose aggregate it is, comma-separated, '' none).
 */

/** A domain event as it leaves the service (webhooks, email): what the outbox stored, decoded. */
export interface OutboxEvent {
  /** Stable across retries and redeliveries (`evt_` + 32 hex digits): receivers deduplicate by it. */
  readonly id: string;
  /** e.g. `seat.reserved`; openapi.yaml's `webhooks` section lists them with their data. */
  readonly type: string;
  /** When the change was made (epoch ms). */
  readonly at: number;
  readonly data: Readonly<Record<string, unknown>>;
  /** The user the event concerns (the customer, the client): who an email goes to. */
  readonly userId: string | null;
  /** The managers whose aggregate it is (an event's or a restaurant's creator); admins see every event. */
  readonly owners: readonly string[];
}

/** One entry as XRANGE answers it: its stream id and the flat field list. */
export type StreamEntry = [streamId: string, fields: string[]];

export function decodeOutboxEntry([, fields]: StreamEntry): OutboxEvent {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i], fields[i + 1]);
  const owners = f.get('owners') ?? '';
  return {
    id: f.get('id') ?? '',
    type: f.get('type') ?? '',
    at: Number(f.get('at')),
    data: JSON.parse(f.get('data') || '{}') as Record<string, unknown>,
    userId: f.get('user') || null,
    owners: owners === '' ? [] : owners.split(','),
  };
}
