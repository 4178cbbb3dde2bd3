import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CursorCodec } from '../common/cursor.js';
import { ValidationFailedError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import { AppConfig } from '../config/app-config.js';
import type { OpenSlotsPageView, OpenSlotsQuery } from './appointments.dto.js';
import { OpenSlotsRepository } from './open-slots.repository.js';

const DAY = 86_400_000;

type SlotsCursor = { p: string; s: string };

const isSlotsCursor = (value: unknown): value is SlotsCursor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as SlotsCursor).p === 'string' &&
  typeof (value as SlotsCursor).s === 'string';

/** What a cursor is bound to: the providers it pages over (none: all), as a short digest. */
const providersDigest = (providerIds: readonly string[]) =>
  createHash('sha256')
    .update([...new Set(providerIds)].sort().join(','))
    .digest('base64url')
    .slice(0, 16);

/** Finding open slots across providers (GET /v1/slots). */
@Injectable()
export class OpenSlotsService {
  constructor(
    private readonly openSlots: OpenSlotsRepository,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Slots a client can reserve now, of every provider or of the named ones, by start: open, in [from, to), and
   * starting at least the lead time from now (the rule of GET /v1/providers/{id}/slots and of reserving). Paged by
   * an opaque cursor bound to the providers asked for.
   */
  async find(query: OpenSlotsQuery): Promise<OpenSlotsPageView> {
    const now = this.clock.now();
    const from = query.from ? Date.parse(query.from) : now;
    const to = query.to ? Date.parse(query.to) : from + 14 * DAY;
    if (to <= from) throw ValidationFailedError.field('to', 'must be after from');
    if (to - from > 31 * DAY) throw ValidationFailedError.field('to', 'must be at most 31 days after from');
    const providerIds = [...new Set(query.providerId ?? [])];
    const digest = providersDigest(providerIds);
    let after: string | null = null;
    if (query.cursor) {
      const cursor = this.cursors.decode(query.cursor, isSlotsCursor);
      if (cursor.s !== digest) throw ValidationFailedError.field('cursor', 'belongs to other providers');
      after = cursor.p;
    }
    const earliest = Math.max(from, now + this.config.appointmentLeadHours * 3_600_000);
    if (earliest >= to) return { items: [], nextCursor: null };
    const range = { from: earliest, to, now, after, limit: query.limit ?? 20 };
    const page =
      providerIds.length > 0 ? await this.openSlots.pageOf(providerIds, range) : await this.openSlots.page(range);
    return {
      items: page.slots.map((s) => ({ id: s.id, providerId: s.providerId, start: toIso(s.start), end: toIso(s.end) })),
      nextCursor: page.next === null ? null : this.cursors.encode({ p: page.next, s: digest }),
    };
  }

  /** Drops index entries of slots that have started: they are never listed again (the expiry sweeper calls it). */
  prune(): Promise<number> {
    return this.openSlots.prune(this.clock.now());
  }
}
