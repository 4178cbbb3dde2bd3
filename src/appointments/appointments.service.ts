import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CursorCodec } from '../common/cursor.js';
import { NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import type { FieldError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import type { Page } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { DomainEvents } from '../domain-events/domain-events.js';
import type { AppointmentEvent } from '../domain-events/domain-events.js';
import type { AuthUser } from '../auth/auth-user.js';
import { UsersRepository } from '../users/users.repository.js';
import { statusAt } from './appointment.js';
import type { Appointment, Slot } from './appointment.js';
import type {
  AppointmentView,
  AppointmentsQuery,
  AvailabilityDto,
  AvailabilityView,
  ProviderView,
  SlotView,
  SlotsQuery,
} from './appointments.dto.js';
import {
  AppointmentCancelledError,
  LeadTimeTooShortError,
  PendingLimitReachedError,
  ReservationExpiredError,
  SlotReservedError,
  SlotUnavailableError,
} from './appointments.errors.js';
import { AppointmentsRepository } from './appointments.repository.js';

const DAY = 86_400_000;
const slotView = (s: Slot): SlotView => ({
  id: s.id,
  providerId: s.providerId,
  start: toIso(s.start),
  end: toIso(s.end),
});

@Injectable()
export class AppointmentsService {
  constructor(
    private readonly appointments: AppointmentsRepository,
    private readonly users: UsersRepository,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly events: DomainEvents,
    private readonly metrics: Metrics,
  ) {}

  /** Tells the notifier (the client and the provider hear of it; a confirmation gets a reminder, a cancel loses it). */
  private announce(type: AppointmentEvent['type'], appointment: Appointment): Promise<void> {
    return this.events.emit({
      type,
      appointmentId: appointment.id,
      clientId: appointment.clientId,
      providerId: appointment.providerId,
      start: appointment.start,
      view: this.view(appointment, this.clock.now()),
    });
  }

  /** Cuts each window into slots and opens those not open yet; all windows are checked before anything is stored. */
  async publish(dto: AvailabilityDto, provider: AuthUser): Promise<AvailabilityView> {
    const slotMs = this.config.appointmentSlotMinutes * 60_000;
    const maxWindowMs = this.config.appointmentMaxWindowHours * 3_600_000;
    const now = this.clock.now();
    const errors: FieldError[] = [];
    const slots = new Map<number, Slot>();
    dto.windows.forEach((window, i) => {
      const start = Date.parse(window.start);
      const end = Date.parse(window.end);
      const field = `windows.${i}`;
      if (start % slotMs !== 0)
        errors.push({ field: `${field}.start`, message: `must be on a ${slotMs / 60_000}-minute boundary` });
      if (end % slotMs !== 0)
        errors.push({ field: `${field}.end`, message: `must be on a ${slotMs / 60_000}-minute boundary` });
      if (end <= start) errors.push({ field: `${field}.end`, message: 'must be after start' });
      else if (end - start > maxWindowMs) {
        errors.push({
          field: `${field}.end`,
          message: `window must not be longer than ${maxWindowMs / 3_600_000} hours`,
        });
      }
      if (start <= now) errors.push({ field: `${field}.start`, message: 'must be in the future' });
      for (let t = start; t + slotMs <= end; t += slotMs) {
        if (!slots.has(t)) slots.set(t, { id: randomUUID(), providerId: provider.id, start: t, end: t + slotMs });
      }
    });
    if (errors.length) throw new ValidationFailedError(errors);
    const wanted = [...slots.values()].sort((a, b) => a.start - b.start);
    const { slotIds, created } = await this.appointments.addSlots(provider.id, wanted);
    return { slots: wanted.map((s, i) => slotView({ ...s, id: slotIds[i] })), created };
  }

  async providers(limit = 20, cursor?: string): Promise<Page<ProviderView>> {
    const after = cursor ? this.cursors.decodePosition(cursor) : null;
    const page = await this.users.listByRole('provider', after, limit);
    return {
      items: page.users.map((u) => ({ id: u.id, name: u.name })),
      nextCursor: page.next ? this.cursors.encodePosition(page.next) : null,
    };
  }

  /** Slots a client can reserve now: open, and starting at least the lead time from now. */
  async openSlots(providerId: string, query: SlotsQuery): Promise<SlotView[]> {
    const provider = await this.users.findById(providerId);
    if (!provider || provider.role !== 'provider') throw new NotFoundError('The provider');
    const now = this.clock.now();
    const from = query.from ? Date.parse(query.from) : now;
    const to = query.to ? Date.parse(query.to) : from + 14 * DAY;
    if (to <= from) throw ValidationFailedError.field('to', 'must be after from');
    if (to - from > 31 * DAY) throw ValidationFailedError.field('to', 'must be at most 31 days after from');
    const earliest = Math.max(from, now + this.config.appointmentLeadHours * 3_600_000);
    if (earliest >= to) return [];
    return (await this.appointments.openSlots(providerId, earliest, to, now)).map(slotView);
  }

  async removeSlot(slotId: string, provider: AuthUser): Promise<void> {
    const result = await this.appointments.removeSlot(provider.id, slotId, this.clock.now());
    if (result === 'missing') throw new NotFoundError('The slot');
    if (result === 'reserved') throw new SlotReservedError();
  }

  /** Reserves a slot for the client, pending until confirmed; `created` is false when the client already held it. */
  async reserve(slotId: string, client: AuthUser): Promise<{ appointment: AppointmentView; created: boolean }> {
    const providerId = await this.appointments.slotOwner(slotId);
    if (!providerId) throw new NotFoundError('The slot');
    const now = this.clock.now();
    const result = await this.appointments.reserve({
      providerId,
      slotId,
      clientId: client.id,
      appointmentId: randomUUID(),
      now,
      expiresAt: now + this.config.appointmentPendingSeconds * 1000,
      leadMs: this.config.appointmentLeadHours * 3_600_000,
      maxPending: this.config.appointmentMaxPendingPerClient,
    });
    switch (result.outcome) {
      case 'no-slot':
        throw new NotFoundError('The slot');
      case 'too-late':
        throw new LeadTimeTooShortError(this.config.appointmentLeadHours);
      case 'taken':
        throw new SlotUnavailableError();
      case 'pending-limit':
        throw new PendingLimitReachedError(this.config.appointmentMaxPendingPerClient);
    }
    const appointment = await this.appointments.find(providerId, result.appointmentId);
    if (!appointment) throw new NotFoundError('The appointment');
    if (result.outcome === 'reserved') {
      this.metrics.count('appointment_reservations');
      await this.announce('appointment.reserved', appointment);
    }
    return { appointment: this.view(appointment, now), created: result.outcome === 'reserved' };
  }

  /** Tells clients and providers about pending reservations that ran out (called by the expiry sweeper). */
  async announceExpired(): Promise<number> {
    const expired = await this.appointments.claimExpired(this.clock.now(), 100);
    for (const appointment of expired) await this.announce('appointment.expired', appointment);
    return expired.length;
  }

  /** Confirms the client's pending reservation within its pending time (even if that crosses the lead time). */
  async confirm(appointmentId: string, client: AuthUser): Promise<AppointmentView> {
    const appointment = await this.visible(appointmentId, client);
    if (appointment.clientId !== client.id) throw new NotFoundError('The appointment');
    const now = this.clock.now();
    const outcome = await this.appointments.confirm(appointment, now);
    if (outcome === 'missing') throw new NotFoundError('The appointment');
    if (outcome === 'expired') throw new ReservationExpiredError();
    if (outcome === 'cancelled') throw new AppointmentCancelledError();
    if (outcome === 'confirmed') {
      this.metrics.count('appointment_confirmations');
      await this.announce('appointment.confirmed', appointment);
    }
    return this.get(appointmentId, client);
  }

  /** Cancels as its client or its provider; the slot is free again at once. */
  async cancel(appointmentId: string, user: AuthUser): Promise<AppointmentView> {
    const appointment = await this.visible(appointmentId, user);
    const now = this.clock.now();
    await this.appointments.cancel(appointment, now);
    if (appointment.status !== 'cancelled') await this.announce('appointment.cancelled', appointment);
    return this.get(appointmentId, user);
  }

  async get(appointmentId: string, user: AuthUser): Promise<AppointmentView> {
    return this.view(await this.visible(appointmentId, user), this.clock.now());
  }

  /** A client's own appointments, or those on a provider's schedule; a page may be short when `status` filters. */
  async list(query: AppointmentsQuery, user: AuthUser): Promise<Page<AppointmentView>> {
    const after = query.cursor ? this.cursors.decodePosition(query.cursor) : null;
    const owner = user.role === 'provider' ? { providerId: user.id } : { clientId: user.id };
    const page = await this.appointments.list(owner, after, query.limit ?? 20);
    const now = this.clock.now();
    const items = page.appointments
      .map((a) => this.view(a, now))
      .filter((a) => !query.status || a.status === query.status);
    return { items, nextCursor: page.next ? this.cursors.encodePosition(page.next) : null };
  }

  /** The appointment if the caller is its client or provider; anyone else gets the same 404 as for none. */
  private async visible(appointmentId: string, user: AuthUser): Promise<Appointment> {
    const providerId = await this.appointments.appointmentOwner(appointmentId);
    const appointment = providerId ? await this.appointments.find(providerId, appointmentId) : null;
    if (!appointment || (appointment.clientId !== user.id && appointment.providerId !== user.id)) {
      throw new NotFoundError('The appointment');
    }
    return appointment;
  }

  private view(a: Appointment, now: number): AppointmentView {
    return {
      id: a.id,
      slotId: a.slotId,
      providerId: a.providerId,
      clientId: a.clientId,
      start: toIso(a.start),
      end: toIso(a.end),
      status: statusAt(a, now),
      expiresAt: toIso(a.expiresAt),
      createdAt: toIso(a.createdAt),
      confirmedAt: a.confirmedAt === null ? null : toIso(a.confirmedAt),
      cancelledAt: a.cancelledAt === null ? null : toIso(a.cancelledAt),
    };
  }
}
