import { Inject, Injectable, Logger } from '@nestjs/common';
import { markOutbox } from '../outbox/outbox-mark.js';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import type { Appointment, Slot, StoredStatus } from './appointment.js';
import {
  clientAppointmentMember,
  encodeAppointmentRef,
  openSlotMember,
  parseAppointmentRef,
  parseClientAppointmentMember,
  parseProviderAppointmentMember,
  parseSlotTimes,
} from './appointments.codec.js';
import { AppointmentsRepository } from './appointments.repository.js';
import { appointmentsScripts } from './appointments.scripts.js';
import type { ConfirmOutcome, ReserveOutcome, ReserveRequest } from './appointments.repository.js';

function toAppointment(f: Record<string, string>): Appointment | null {
  if (!f.id) return null;
  return {
    id: f.id,
    slotId: f.slotId,
    providerId: f.providerId,
    clientId: f.clientId,
    start: Number(f.start),
    end: Number(f.end),
    status: f.status as StoredStatus,
    createdAt: Number(f.createdAt),
    expiresAt: Number(f.expiresAt),
    confirmedAt: f.confirmedAt ? Number(f.confirmedAt) : null,
    cancelledAt: f.cancelledAt ? Number(f.cancelledAt) : null,
  };
}

/** How the pending registry names an appointment. */
/** Readings of the schedule one open-slots index write may take to settle (see `settle`). */
const SETTLE_ROUNDS = 4;

const refOf = (a: Appointment) => encodeAppointmentRef({ providerId: a.providerId, appointmentId: a.id });

@Injectable()
export class RedisAppointmentsRepository extends AppointmentsRepository {
  private readonly logger = new Logger('Appointments');

  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async addSlots(providerId: string, slots: readonly Slot[]): Promise<{ slotIds: string[]; created: number }> {
    // Owner lookups live outside the provider's slot, so they are written first, for every candidate id: a slot
    // never exists without one. Candidates the script did not use (their start was open already) lose theirs after.
    await Promise.all(slots.map((s) => this.redis.set(keys.slotOwner(s.id), providerId)));
    const result = await appointmentsScripts.addSlots.run(this.redis, [
      keys.providerSlots(providerId),
      keys.providerSlotTimes(providerId),
      keys.providerSlotStarts(providerId),
      ...slots.flatMap((s) => [s.id, s.start, s.end]),
    ]);
    const created = Number(result.pop());
    const slotIds = result.map(String);
    const unused = slots.filter((s, i) => slotIds[i] !== s.id).map((s) => keys.slotOwner(s.id));
    await Promise.all(unused.map((key) => this.redis.del(key)));
    // The slots this call opened (its own ids: a re-delivered call answers them too) join the index of every
    // provider's open slots, in another hash slot, so after the script: a crash in between leaves them out of
    // GET /v1/slots only (the integrity check reports it), never bookable twice.
    // Checked at time 0, so that any reservation state, even a lapsed one, counts as taken: a new slot reserved
    // between the script and here is not listed.
    await this.listIfOpen(
      providerId,
      slots.filter((s, i) => slotIds[i] === s.id),
      0,
    );
    return { slotIds, created };
  }

  async openSlots(providerId: string, from: number, to: number, now: number): Promise<Slot[]> {
    const flat = await appointmentsScripts.openSlots.run(this.redis, [
      keys.providerSlots(providerId),
      keys.providerSlotTimes(providerId),
      keys.providerSlotState(providerId),
      from,
      to,
      now,
    ]);
    const slots: Slot[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const { start, end } = parseSlotTimes(flat[i + 1]);
      slots.push({ id: flat[i], providerId, start, end });
    }
    return slots;
  }

  slotOwner(slotId: string): Promise<string | null> {
    return this.redis.get(keys.slotOwner(slotId));
  }

  async removeSlot(providerId: string, slotId: string, now: number): Promise<'removed' | 'missing' | 'reserved'> {
    const { removeSlot } = appointmentsScripts;
    const reply = await removeSlot.run(this.redis, [
      keys.providerSlots(providerId),
      keys.providerSlotTimes(providerId),
      keys.providerSlotStarts(providerId),
      keys.providerSlotState(providerId),
      slotId,
      now,
    ]);
    const outcome = removeSlot.outcome(reply);
    if (outcome === 'removed') {
      const { start } = parseSlotTimes(reply[1]!);
      // A removed slot is gone from the schedule for good: no later write can make it open again, nothing to settle.
      await this.redis.zrem(keys.openSlots(), openSlotMember(start, providerId, slotId));
      await this.redis.del(keys.slotOwner(slotId));
    }
    return outcome;
  }

  async reserve(r: ReserveRequest): Promise<ReserveOutcome> {
    const { reserve } = appointmentsScripts;
    const { outcome, appointmentId } = reserve.outcome(
      await reserve.run(this.redis, [
        keys.providerSlotTimes(r.providerId),
        keys.providerSlotState(r.providerId),
        keys.appointment(r.providerId, r.appointmentId),
        keys.providerAppointments(r.providerId),
        keys.clientPendingWith(r.providerId, r.clientId),
        keys.providerOutbox(r.providerId),
        r.slotId,
        r.clientId,
        r.appointmentId,
        r.now,
        r.expiresAt,
        r.leadMs,
        r.maxPending,
        r.providerId,
      ]),
    );
    if (outcome === 'reserved') markOutbox(this.redis, keys.providerOutbox(r.providerId));
    if ((outcome === 'reserved' || outcome === 'already-yours') && appointmentId) {
      // The client's index and the owner lookup live outside the provider's slot. Written on every success,
      // also for "already yours", so a retry repairs what a crash skipped.
      const appointment = await this.find(r.providerId, appointmentId);
      if (appointment) {
        const ref = { providerId: r.providerId, appointmentId };
        await Promise.all([
          // The appointment's own expiry, not this request's: a repeated request must not postpone the lapse, and
          // one that finds it confirmed already must not register it as pending again.
          appointment.status === 'pending'
            ? this.redis.zadd(keys.pendingAppointments(), appointment.expiresAt, encodeAppointmentRef(ref))
            : undefined,
          this.redis.set(keys.appointmentOwner(appointmentId), r.providerId),
          this.redis.zadd(keys.clientAppointments(r.clientId), 0, clientAppointmentMember(appointment.start, ref)),
          // Taken: out of the open-slots index, then settled (the slot may have been let go again meanwhile, and this
          // removal may land after that relisting). Readers check every entry anyway, so an entry this fails to
          // remove is only skipped: no reason to fail a reservation that is stored.
          this.unlist(r.providerId, { id: r.slotId, start: appointment.start }, r.now).catch((error: Error) =>
            this.logger.warn(`slot ${r.slotId} stays in the open-slots index (skipped by readers): ${error.message}`),
          ),
        ]);
      }
      return { outcome, appointmentId };
    }
    return { outcome: outcome as 'no-slot' | 'too-late' | 'taken' | 'pending-limit' };
  }

  async find(providerId: string, appointmentId: string): Promise<Appointment | null> {
    return toAppointment(await this.redis.hgetall(keys.appointment(providerId, appointmentId)));
  }

  appointmentOwner(appointmentId: string): Promise<string | null> {
    return this.redis.get(keys.appointmentOwner(appointmentId));
  }

  async confirm(appointment: Appointment, now: number): Promise<ConfirmOutcome> {
    const { confirm } = appointmentsScripts;
    const outcome = confirm.outcome(
      await confirm.run(this.redis, [
        keys.appointment(appointment.providerId, appointment.id),
        keys.providerSlotState(appointment.providerId),
        keys.clientPendingWith(appointment.providerId, appointment.clientId),
        keys.providerOutbox(appointment.providerId),
        now,
        appointment.clientId,
      ]),
    );
    if (outcome === 'confirmed') markOutbox(this.redis, keys.providerOutbox(appointment.providerId));
    if (outcome === 'confirmed') await this.redis.zrem(keys.pendingAppointments(), refOf(appointment));
    return outcome;
  }

  async claimExpired(now: number, limit: number): Promise<Appointment[]> {
    const registry = keys.pendingAppointments();
    const due = await this.redis.zrangebyscore(registry, '-inf', now, 'LIMIT', 0, limit);
    const claimed: Appointment[] = [];
    for (const member of due) {
      const { providerId, appointmentId } = parseAppointmentRef(member);
      // The lapse's outbox event first, then the claim: a crash in between leaves the entry for the next sweep, whose
      // run of the script appends nothing again (and a confirmed or cancelled one appends nothing at all).
      const outbox = keys.providerOutbox(providerId);
      const recorded = await appointmentsScripts.recordExpiry.run(this.redis, [
        keys.appointment(providerId, appointmentId),
        outbox,
        now,
      ]);
      if (recorded === 1) markOutbox(this.redis, outbox);
      // ZREM answers 1 to one caller only: the instance that removes it announces it.
      if ((await this.redis.zrem(registry, member)) !== 1) continue;
      const appointment = await this.find(providerId, appointmentId);
      if (appointment?.status === 'pending' && appointment.expiresAt <= now) {
        claimed.push(appointment);
        // Its slot is free again (unless taken since): listed again across providers.
        if (appointment.start > now) await this.relist(appointment, now);
      }
    }
    return claimed;
  }

  async cancel(appointment: Appointment, now: number): Promise<void> {
    const [code] = await appointmentsScripts.cancel.run(this.redis, [
      keys.appointment(appointment.providerId, appointment.id),
      keys.providerSlotState(appointment.providerId),
      keys.clientPendingWith(appointment.providerId, appointment.clientId),
      keys.providerOutbox(appointment.providerId),
      now,
    ]);
    // Marked only when the script appended (cancelled now), not for a repeated cancel.
    if (code === 1) markOutbox(this.redis, keys.providerOutbox(appointment.providerId));
    // After the cancel, not before: if the cancel fails (Redis out of memory, a timeout), the appointment is still
    // pending and must stay in the registry so that its lapse is announced. A leftover entry of a cancelled one is
    // harmless (claimExpired checks the status), and a repeated cancel removes it.
    await this.redis.zrem(keys.pendingAppointments(), refOf(appointment));
    if (appointment.start > now) await this.relist(appointment, now);
  }

  /**
   * Puts the slot of an appointment that let it go (cancelled, lapsed) back into the open-slots index, if open. After
   * the cancel or lapse is stored, so a failure here (Redis out of memory, say) does not turn that into an error: the
   * slot is then only missing from GET /v1/slots (its provider's own listing shows it, and it stays bookable), and the
   * warning names it.
   */
  private async relist(appointment: Appointment, now: number): Promise<void> {
    try {
      await this.listIfOpen(appointment.providerId, [{ id: appointment.slotId, start: appointment.start }], now);
    } catch (error) {
      this.logger.warn(
        `slot ${appointment.slotId} of provider ${appointment.providerId} is free but not listed in the open-slots ` +
          `index: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Adds slots to the open-slots index, then checks them against the schedule and takes out those not open at
   * `now`. Added first, then checked: a reservation taking a slot meanwhile removes the entry after its script, so in
   * whichever order the steps meet, no entry of a taken slot outlives both (readers skip it meanwhile).
   */
  private async listIfOpen(providerId: string, slots: readonly { id: string; start: number }[], now: number) {
    if (slots.length === 0) return;
    const members = slots.map((s) => openSlotMember(s.start, providerId, s.id));
    await this.redis.zadd(keys.openSlots(), ...members.flatMap((m) => [0, m]));
    await this.settle(
      providerId,
      slots.map((slot, i) => ({ slot, member: members[i], listed: true })),
      now,
    );
  }

  /** Takes a slot out of the open-slots index (it was taken), then settles it as listIfOpen does. */
  private async unlist(providerId: string, slot: { id: string; start: number }, now: number): Promise<void> {
    const member = openSlotMember(slot.start, providerId, slot.id);
    await this.redis.zrem(keys.openSlots(), member);
    await this.settle(providerId, [{ slot, member, listed: false }], now);
  }

  /**
   * Makes the index agree with the schedule for slots this call just wrote (`listed`: what it wrote). An index write
   * is decided on an earlier reading of the schedule, so it may land after a later, right one: a reservation's
   * removal arriving after its appointment was cancelled and the slot listed again would hide an open slot for good.
   * So after writing, read the schedule again and correct, until a reading agrees with the last write, at most
   * SETTLE_ROUNDS times (each round is one script and at most one write; what still churns after that is some other
   * call's to settle). The same loop as the users' search index (UsersRepository.reindex) uses for role changes.
   */
  private async settle(
    providerId: string,
    entries: { slot: { id: string; start: number }; member: string; listed: boolean }[],
    now: number,
  ): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS && entries.length > 0; round++) {
      const times = await appointmentsScripts.checkOpenSlots.run(this.redis, [
        keys.providerSlotTimes(providerId),
        keys.providerSlotState(providerId),
        now,
        ...entries.map((e) => e.slot.id),
      ]);
      const open = entries.map((e, i) => times[i] !== null && parseSlotTimes(times[i]!).start === e.slot.start);
      const wrong = entries.filter((e, i) => e.listed !== open[i]);
      if (wrong.length === 0) return;
      const add = wrong.filter((e) => !e.listed).map((e) => e.member);
      const remove = wrong.filter((e) => e.listed).map((e) => e.member);
      await Promise.all([
        add.length > 0 ? this.redis.zadd(keys.openSlots(), ...add.flatMap((m) => [0, m])) : undefined,
        remove.length > 0 ? this.redis.zrem(keys.openSlots(), ...remove) : undefined,
      ]);
      for (const e of wrong) e.listed = !e.listed;
      entries = wrong;
    }
  }

  async list(
    owner: { providerId: string } | { clientId: string },
    after: string | null,
    limit: number,
  ): Promise<{ appointments: Appointment[]; next: string | null }> {
    // Both indexes hold "<start, 15 digits>:<ref>" with scores 0: a lexicographic range from the position is exact.
    const index =
      'providerId' in owner ? keys.providerAppointments(owner.providerId) : keys.clientAppointments(owner.clientId);
    const members = await this.redis.zrangebylex(index, after ? `(${after}` : '-', '+', 'LIMIT', 0, limit + 1);
    const page = members.slice(0, limit);
    const refs = page.map((m) =>
      'providerId' in owner
        ? { providerId: owner.providerId, appointmentId: parseProviderAppointmentMember(m).appointmentId }
        : parseClientAppointmentMember(m),
    );
    const found = await Promise.all(refs.map((r) => this.find(r.providerId, r.appointmentId)));
    return {
      appointments: found.filter((a): a is Appointment => a !== null),
      next: members.length > limit ? page[page.length - 1] : null,
    };
  }
}
