import { Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const DOMAIN_COUNTERS = {
  holds: 'Seat holds granted (renewals included)',
  hold_conflicts: 'Seat holds refused: held by someone else, reserved, or over the per-user limit',
  reserves: 'Seats reserved',
  hold_expiries: 'Event visits of the expiry sweeper that freed lapsed holds',
  appointment_reservations: 'Appointment slots reserved (pending)',
  appointment_confirmations: 'Appointments confirmed',
  restaurant_bookings: 'Restaurant tables booked',
  restaurant_moves: 'Restaurant reservations moved',
  idempotent_replays: 'Answers replayed for a repeated Idempotency-Key',
} as const;

export type DomainCounter = keyof typeof DOMAIN_COUNTERS;

/**
 * The service's Prometheus metrics: process defaults (memory, CPU, event-loop lag, GC), request durations by route
 * and status, domain counters, and the result of the last integrity check run in this process. One registry per
 * application instance, so test apps in one process stay apart.
 */
@Injectable()
export class Metrics implements OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly counters = new Map<DomainCounter, Counter>();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly integrityViolations: Gauge<'invariant'>;
  private readonly integrityLastCheck: Gauge;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'booking_' });
    this.requests = new Histogram({
      name: 'booking_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    for (const [name, help] of Object.entries(DOMAIN_COUNTERS) as [DomainCounter, string][]) {
      this.counters.set(name, new Counter({ name: `booking_${name}_total`, help, registers: [this.registry] }));
    }
    this.integrityViolations = new Gauge({
      name: 'booking_integrity_violations',
      help: 'Broken invariants found by the last integrity check of this process, by invariant',
      labelNames: ['invariant'],
      registers: [this.registry],
    });
    this.integrityLastCheck = new Gauge({
      name: 'booking_integrity_last_check_timestamp_seconds',
      help: 'When the last integrity check of this process finished (0: none has yet)',
      registers: [this.registry],
    });
  }

  count(counter: DomainCounter, by = 1): void {
    this.counters.get(counter)!.inc(by);
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
  }

  /** The outcome of a completed integrity check: every invariant's count (zeros included) and when it finished. */
  recordIntegrityCheck(counts: Readonly<Record<string, number>>, finishedAtMs: number): void {
    for (const [invariant, count] of Object.entries(counts)) this.integrityViolations.set({ invariant }, count);
    this.integrityLastCheck.set(finishedAtMs / 1000);
  }

  onApplicationShutdown(): void {
    this.registry.clear();
  }
}
