import { retryDelay } from '../../src/outbox/outbox-deliveries.js';
import { isPrivateAddress } from '../../src/webhooks/webhook-address.js';
import { parseRetryAfter } from '../../src/webhooks/webhook-sender.js';
import { signWebhook, verifyWebhook } from '../../src/webhooks/webhook-signature.js';
import { classify } from '../../src/webhooks/webhooks.consumer.js';

describe('webhook delivery rules', () => {
  it('signs as the Standard Webhooks specification’s example does', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const [id, timestamp, body] = ['msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'];
    expect(signWebhook(secret, id, timestamp, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(verifyWebhook(secret, id, timestamp, body, `v1,bm90IGl0 ${signWebhook(secret, id, timestamp, body)}`)).toBe(
      true,
    );
    expect(verifyWebhook(secret, id, timestamp + 1, body, signWebhook(secret, id, timestamp, body))).toBe(false);
  });

  it('retries 408, 429, 5xx and no answer; other 4xx and refused addresses are final', () => {
    const answer = (status: number, retryAfterMs: number | null = null) =>
      classify({ answered: true, status, retryAfterMs });
    expect(answer(200)).toEqual({ status: 'done' });
    expect(answer(204)).toEqual({ status: 'done' });
    expect(answer(500).status).toBe('retry');
    expect(answer(503, 120_000)).toEqual({ status: 'retry', reason: 'answered 503', retryAfterMs: 120_000 });
    expect(answer(429, 5000)).toMatchObject({ status: 'retry', retryAfterMs: 5000 });
    expect(answer(408).status).toBe('retry');
    expect(answer(400).status).toBe('final');
    expect(answer(404).status).toBe('final');
    expect(answer(410).status).toBe('final');
    expect(answer(301).status).toBe('final');
    expect(classify({ answered: false, error: 'connect ECONNREFUSED' }).status).toBe('retry');
    expect(classify({ answered: false, error: 'refused: the URL points at a private address' }).status).toBe('final');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('backs off exponentially with jitter, up to the maximum', () => {
    expect(retryDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelay(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(retryDelay(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelay(30, 1000, 60_000, () => 0)).toBe(30_000);
  });

  it('tells private, loopback, link-local and metadata addresses from public ones', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:192.168.0.1']) {
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: true });
    }
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: false });
    }
  });
});
