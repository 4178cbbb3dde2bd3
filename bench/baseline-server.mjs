// The ceiling of this machine for one hold per request (and, below, the floor of the seat map): the service's own hold and release Lua scripts (same keys,
// same arguments, built by the service's own src/events/seat-script-args.ts) behind a bare Fastify route with ioredis, no Nest, no auth, no validation, no user index. The
// caller names the user in x-user-id. Like the service, it echoes X-Request-Id (wrk's scripts match answers by it).
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const dist = new URL('../dist/', import.meta.url);
const { holdSeatsArgs, releaseFreeHoldArgs, seatScripts } = await import(new URL('events/seat-script-args.js', dist));
const { keys } = await import(new URL('redis/keys.js', dist));
const prefix = process.env.REDIS_KEY_PREFIX ?? 'bk:';
const redis = new Redis(process.env.REDIS_URL, { keyPrefix: prefix });

let holdsSent = 0;
const tokenPrefix = randomBytes(6).toString('base64url');

const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));
const echoId = (request, reply) => {
  const id = request.headers['x-request-id'];
  if (id) reply.header('x-request-id', id);
};
app.post('/events/:eventId/seats/:seatId/hold', async (request, reply) => {
  echoId(request, reply);
  const { eventId, seatId } = request.params;
  const userId = request.headers['x-user-id'];
  const now = Date.now();
  const expiresAt = now + 60_000;
  // The service's scripts also publish the user's own event: the baseline does the same work.
  const notice = JSON.stringify({
    type: 'seat.held',
    eventId,
    seatIds: [seatId],
    expiresAt: new Date(expiresAt).toISOString(),
  });
  const terms = { now, offerUntil: now + 600_000, expiresAt, maxHolds: 10, maxRenewals: 4, startsAt: null, notice };
  const token = `${tokenPrefix}${(++holdsSent).toString(36)}`;
  const [status] = await seatScripts.hold.run(redis, holdSeatsArgs(prefix, eventId, userId, [seatId], terms, token));
  if (status !== 1) return reply.status(409).send({ code: 'SEAT_UNAVAILABLE' });
  return {
    eventId,
    seatId,
    userId,
    expiresAt: new Date(expiresAt).toISOString(),
    serverTime: new Date(now).toISOString(),
  };
});
app.delete('/events/:eventId/seats/:seatId/hold', async (request, reply) => {
  echoId(request, reply);
  const { eventId, seatId } = request.params;
  const userId = request.headers['x-user-id'];
  const now = Date.now();
  const notice = JSON.stringify({ type: 'seat.released', eventId, seatId });
  // The service's usual release (nobody waits in the bench's event).
  const released = await seatScripts.releaseFree.run(
    redis,
    releaseFreeHoldArgs(prefix, eventId, userId, seatId, now, notice),
  );
  return reply.status(released === 1 ? 204 : 404).send();
});
// The floor of the seat map: the JSON the service answers for an event none of whose seats is taken, built once per
// event from its seat list in Redis and then sent as the same Buffer every time: what serving those bytes costs here
// with no Nest, no Redis read and no serializer per request.
const seatMaps = new Map();
app.get('/events/:eventId/seats', async (request, reply) => {
  echoId(request, reply);
  const { eventId } = request.params;
  let body = seatMaps.get(eventId);
  if (!body) {
    const seatIds = await redis.lrange(keys.eventSeats(eventId), 0, -1);
    body = Buffer.from(JSON.stringify(seatIds.map((id, i) => ({ id, eventId, number: i + 1 }))));
    seatMaps.set(eventId, body);
  }
  return reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => redis.quit())
    .then(() => process.exit(0)),
);
