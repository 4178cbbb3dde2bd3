import { sendWebhook } from '../../src/webhooks/webhook-sender.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Review finding 12: the request goes to the address that was checked, not to what the name resolves to at send
 * time. A name that cannot resolve at all (.invalid) reaches the receiver the check pinned, with its own Host header.
 */
describe('webhook sender DNS pinning', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());

  it('sends to the pinned address, never looking the name up again', async () => {
    const port = new URL(receiver.url).port;
    const url = new URL(`http://hooks.does-not-exist.invalid:${port}/hook`);
    const result = await sendWebhook(
      { url, address: '127.0.0.1', family: 4 },
      { 'webhook-id': 'evt_pinned' },
      '{}',
      2000,
    );
    expect(result).toMatchObject({ answered: true, status: 200 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].headers.host).toBe(`hooks.does-not-exist.invalid:${port}`);
  });
});
