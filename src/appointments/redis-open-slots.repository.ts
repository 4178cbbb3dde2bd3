import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys, sortableTime } from '../redis/keys.js';
import { scanKeys } from '../redis/scan-keys.js';
import type { Slot } from './appointment.js';
import { openSlotMember, parseOpenSlotMember, parseSlotTimes } from './appointments.codec.js';
import { appointmentsScripts } from './appointments.scripts.js';
import { OpenSlotsRepository } from './open-slots.repository.js';
import type { OpenSlotsPage, OpenSlotsRange } from './open-slots.repository.js';

/** Rounds of index reads one page may take when it meets stale entries, before it answers a shorter page. */
const MAX_ROUNDS = 4;
const providerSlotsKey = keyMatcher(keys.providerSlots);

@Injectable()
export class RedisOpenSlotsRepository extends OpenSlotsRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  /**
   * Each round reads `limit + 1` members of `{slots}:open` after the position (one command) and checks them with one
   * script per provider they name (at most `limit + 1`, issued together: each provider is in its own slot). So a page
   * costs at most MAX_ROUNDS × (limit + 2) commands, whatever the number of providers.
   */
  async page(range: OpenSlotsRange): Promise<OpenSlotsPage> {
    const found: { slot: Slot; member: string }[] = [];
    let position = this.start(range);
    const max = `(${sortableTime(range.to)}`;
    const batch = range.limit + 1;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const members = await this.redis.zrangebylex(keys.openSlots(), position, max, 'LIMIT', 0, batch);
      const open = await this.check(members, range.now);
      for (const member of members) {
        const slot = open.get(member);
        if (slot) found.push({ slot, member });
        if (found.length > range.limit) break;
        position = `(${member}`;
      }
      if (found.length > range.limit) {
        return { slots: found.slice(0, range.limit).map((f) => f.slot), next: found[range.limit - 1].member };
      }
      if (members.length < batch) return { slots: found.map((f) => f.slot), next: null };
    }
    return { slots: found.map((f) => f.slot), next: position.slice(1) };
  }

  async pageOf(providerIds: readonly string[], range: OpenSlotsRange): Promise<OpenSlotsPage> {
    const from = range.after ? Math.max(range.from, parseOpenSlotMember(range.after).start) : range.from;
    // One slot per start and provider, so `limit + 2` from the position's start covers the position's own slot.
    const lists = await Promise.all(
      providerIds.map((providerId) =>
        appointmentsScripts.openSlotsPage.run(this.redis, [
          keys.providerSlots(providerId),
          keys.providerSlotTimes(providerId),
          keys.providerSlotState(providerId),
          from,
          range.to,
          range.now,
          range.limit + 2,
        ]),
      ),
    );
    const entries = lists
      .flatMap((flat, i) => {
        const slots: { slot: Slot; member: string }[] = [];
        for (let j = 0; j < flat.length; j += 2) {
          const { start, end } = parseSlotTimes(flat[j + 1]);
          const slot = { id: flat[j], providerId: providerIds[i], start, end };
          slots.push({ slot, member: openSlotMember(start, slot.providerId, slot.id) });
        }
        return slots;
      })
      .filter((e) => range.after === null || e.member > range.after)
      .sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
    const page = entries.slice(0, range.limit);
    return {
      slots: page.map((e) => e.slot),
      next: entries.length > range.limit ? page[page.length - 1].member : null,
    };
  }

  async rebuild(now: number): Promise<number> {
    let listed = 0;
    for await (const page of scanKeys(this.redis, keys.providerSlots('*'))) {
      for (const key of page) {
        const providerId = providerSlotsKey(key)?.[0];
        if (!providerId) continue;
        const ids = await this.redis.zrangebyscore(keys.providerSlots(providerId), `(${now}`, '+inf');
        for (let i = 0; i < ids.length; i += 500) {
          const chunk = ids.slice(i, i + 500);
          const times = await appointmentsScripts.checkOpenSlots.run(this.redis, [
            keys.providerSlotTimes(providerId),
            keys.providerSlotState(providerId),
            now,
            ...chunk,
          ]);
          const members = chunk.flatMap((id, j) =>
            times[j] === null ? [] : [openSlotMember(parseSlotTimes(times[j]!).start, providerId, id)],
          );
          if (members.length > 0) await this.redis.zadd(keys.openSlots(), ...members.flatMap((m) => [0, m]));
          listed += members.length;
        }
      }
    }
    return listed;
  }

  async isMigrated(name: string): Promise<boolean> {
    return (await this.redis.exists(keys.migrationDone(name))) === 1;
  }

  async markMigrated(name: string, at: number): Promise<void> {
    await this.redis.set(keys.migrationDone(name), String(at), 'NX');
  }

  prune(before: number): Promise<number> {
    return this.redis.zremrangebylex(keys.openSlots(), '-', `(${sortableTime(before)}`);
  }

  /** Where a page starts: after the previous page's last member, or at `from` when that is later. */
  private start(range: OpenSlotsRange): string {
    const from = `[${sortableTime(range.from)}`;
    if (!range.after || parseOpenSlotMember(range.after).start < range.from) return from;
    return `(${range.after}`;
  }

  /** The entries that name an open slot at the start they say, with the slot: one script per provider. */
  private async check(members: readonly string[], now: number): Promise<Map<string, Slot>> {
    const byProvider = new Map<string, { member: string; start: number; slotId: string }[]>();
    for (const member of members) {
      const entry = parseOpenSlotMember(member);
      const list = byProvider.get(entry.providerId) ?? [];
      list.push({ member, ...entry });
      byProvider.set(entry.providerId, list);
    }
    const open = new Map<string, Slot>();
    await Promise.all(
      [...byProvider].map(async ([providerId, entries]) => {
        const times = await appointmentsScripts.checkOpenSlots.run(this.redis, [
          keys.providerSlotTimes(providerId),
          keys.providerSlotState(providerId),
          now,
          ...entries.map((e) => e.slotId),
        ]);
        entries.forEach((e, i) => {
          if (times[i] === null) return;
          const { start, end } = parseSlotTimes(times[i]!);
          if (start === e.start) open.set(e.member, { id: e.slotId, providerId, start, end });
        });
      }),
    );
    return open;
  }
}
