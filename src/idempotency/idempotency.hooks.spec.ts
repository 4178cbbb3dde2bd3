import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { AccessTokens } from '../auth/access-tokens.js';
import { ManualClock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { IdempotencyHooks } from './idempotency.hooks.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import type { ClaimOutcome, StoredResponse } from './idempotency.repository.js';

/** An in-memory implementation of the port, to exercise the hooks' decisions on a bare Fastify. */
class MemoryRecords extends IdempotencyRepository {
  readonly records = new Map<string, { fingerprint: string; owner: string; response?: StoredResponse }>();
  failComplete = false;

  async claim(callerId: string, key: string, fingerprint: string, owner: string): Promise<ClaimOutcome> {
    const record = this.records.get(`${callerId}/${key}`);
    if (!record) {
      this.records.set(`${callerId}/${key}`, { fingerprint, owner });
      return { outcome: 'claimed' };
    }
    if (record.fingerprint !== fingerprint) return { outcome: 'reused' };
    return record.response ? { outcome: 'replay', response: record.response } : { outcome: 'in-flight' };
  }

  async complete(callerId: string, key: string, owner: string, response: StoredResponse): Promise<void> {
    if (this.failComplete) throw new Error('Command timed out');
    const record = this.records.get(`${callerId}/${key}`);
    if (record?.owner === owner) record.response = response;
  }

  async release(callerId: string, key: string, owner: string): Promise<void> {
    if (this.records.get(`${callerId}/${key}`)?.owner === owner) this.records.delete(`${callerId}/${key}`);
  }
}

describe('IdempotencyHooks', () => {
  const config = AppConfig.from({ jwtSecret: 'unit-test-secret-unit-test-secret-000' });
  const tokens = new AccessTokens(config, new ManualClock());
  const auth = { authorization: `Bearer ${tokens.sign({ id: 'user-1', role: 'customer' })}` };
  let app: FastifyInstance;
  let records: MemoryRecords;
  let runs: number;
  let answer: number;

  beforeEach(async () => {
    records = new MemoryRecords();
    runs = 0;
    answer = 201;
    app = Fastify();
    new IdempotencyHooks(records, tokens, config, new Metrics()).register(app);
    app.post('/things', { config: { idempotent: true } }, async (_, reply) => {
      runs++;
      return reply.status(answer).send({ run: runs });
    });
    await app.ready();
  });
  afterEach(() => app.close());

  const post = (body: object = { a: 1 }) =>
    app.inject({ method: 'POST', url: '/things', headers: { ...auth, 'idempotency-key': 'k1' }, payload: body });

  it('runs once and replays the stored answer', async () => {
    const first = await post();
    const second = await post();
    expect(runs).toBe(1);
    expect(second.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });

  it('frees the key after a 4xx so a corrected retry runs', async () => {
    answer = 400;
    await post();
    answer = 201;
    const retry = await post({ a: 2 });
    expect(retry.statusCode).toBe(201);
    expect(runs).toBe(2);
  });

  it('keeps the claim after a 5xx: the outcome is unknown, so a retry is told to wait, not run again', async () => {
    answer = 503;
    await post();
    answer = 201;
    const retry = await post();
    expect(retry.statusCode).toBe(409);
    expect(JSON.parse(retry.body).code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
    expect(runs).toBe(1);
  });

  it('does not answer 2xx when the answer could not be stored', async () => {
    records.failComplete = true;
    const res = await post();
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body).code).toBe('SERVICE_UNAVAILABLE');
  });
});
