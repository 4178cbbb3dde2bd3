import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../metrics/metrics.js';
import type { EmailCategory } from '../preferences/preferences.js';

export type MailResult = 'sent' | 'skipped' | 'retry' | 'final';

/**
 * Email's part of /metrics, in every process that sends it: `booking_mail_attempts_total{category, result}`, one per
 * attempt at an event's email (`sent`; `skipped`: the category off, no account, nothing to send; `retry`: refused
 * for now or no answer; `final`: refused for good). A rising `retry` means the mail server is away or refusing.
 */
@Injectable()
export class MailMetrics {
  private readonly attempts: Counter<'category' | 'result'>;

  constructor(metrics: Metrics) {
    this.attempts = new Counter({
      name: 'booking_mail_attempts_total',
      help: 'Attempts at sending an event’s email by category and result (sent, skipped, retry, final)',
      labelNames: ['category', 'result'],
      registers: [metrics.registry],
    });
  }

  attempt(category: EmailCategory | 'none', result: MailResult): void {
    this.attempts.inc({ category, result });
  }
}
