import type { AppConfig } from '../../src/config/app-config.js';
import type { Account } from './test-app.js';
import { TestApp } from './test-app.js';
import { WebhookReceiver } from './webhook-receiver.js';

/**
 * The webhook suites' app: relaying its outbox quickly (20 ms polls, retries 20–100 ms), delivering to private
 * addresses (the receivers are on loopback), day-long access tokens, an admin. After each test the admin's webhooks
 * are deleted (admins' endpoints receive every event, so leftovers would get later tests' events) and the receivers
 * closed. `ready` gets the app and the admin; the answer starts receivers the suite closes.
 */
export function webhookSuite(
  overrides: Partial<AppConfig>,
  ready: (app: TestApp, admin: Account) => void,
): { receiver(): Promise<WebhookReceiver> } {
  let t: TestApp;
  let admin: Account;
  let receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await TestApp.start({
      accessTokenTtlSeconds: 86_400,
      outboxRelay: true,
      outboxPollIntervalMs: 20,
      outboxRetryBaseMs: 20,
      outboxRetryMaxDelayMs: 100,
      webhookAllowPrivate: true,
      webhookTimeoutMs: 1000,
      webhookDisableAfterMs: 3_600_000,
      ...overrides,
    });
    admin = await t.register('admin');
    ready(t, admin);
  });
  afterEach(async () => {
    for (const hook of (await t.http().get('/v1/webhooks').set(admin.auth)).body.items as { id: string }[]) {
      await t.http().delete(`/v1/webhooks/${hook.id}`).set(admin.auth);
    }
    await Promise.all(receivers.map((r) => r.close()));
    receivers = [];
  });
  afterAll(() => t.close());

  return {
    async receiver() {
      const r = await WebhookReceiver.start();
      receivers.push(r);
      return r;
    },
  };
}
