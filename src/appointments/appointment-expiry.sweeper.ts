import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Periodic } from '../common/periodic.js';
import { AppConfig } from '../config/app-config.js';
import { AppointmentsService } from './appointments.service.js';
import { OpenSlotsService } from './open-slots.service.js';

/**
 * Announces `appointment.expired` for pending reservations whose time ran out. The expiry itself needs no job (a
 * pending appointment past expiresAt simply reads as expired and frees its slot); only the message does. Runs every
 * APPOINTMENT_SWEEP_INTERVAL_MS in every instance; each expiry is claimed by exactly one of them (which lists its slot
 * again across providers). It also drops entries of slots that have started from the open-slots index. Its own
 * interval, not the seat holds' HOLD_SWEEP_INTERVAL_MS (whose 0 means "no live seat-map announcements"): without it the
 * index would grow forever and lapsed slots never come back, so the variable cannot switch it off.
 */
@Injectable()
export class AppointmentExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly periodic: Periodic;

  constructor(
    appointments: AppointmentsService,
    openSlots: OpenSlotsService,
    private readonly config: AppConfig,
  ) {
    this.periodic = new Periodic('AppointmentExpirySweeper', () =>
      Promise.all([appointments.announceExpired(), openSlots.prune()]),
    );
  }

  onApplicationBootstrap(): void {
    this.periodic.start(this.config.appointmentSweepIntervalMs);
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }
}
