/**
 * What a domain passes to its script for the outbox entry the script appends beside its change: when the change is
 * made and the event's public data (the module's API view of the changed thing, mapped explicitly, never the stored
 * value). The script adds the event's id, type and routing (lua/include/outbox.lua).
 */
export interface OutboxNote {
  /** When the change is made (epoch ms). */
  readonly at: number;
  /** The event's `data`: what webhook receivers get (openapi.yaml, `webhooks`), so only public fields. */
  readonly data: object;
}

/** The note as a script's ARGV: at, then the data as JSON. */
export function outboxNoteArgs(note: OutboxNote): readonly [at: number, data: string] {
  return [note.at, JSON.stringify(note.data)];
}
