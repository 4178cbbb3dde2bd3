// The framework floor for one hold per request: NestJS on Fastify with nothing of the service's own around the work.
// The same global AuthGuard and AccessTokens as the service (the bearer check with its verified-token cache), the same
// Redis client (one socket write per event-loop turn) and the same Redis commands as the service's hold (the hold
// script, then the user's hold index and the sweeper's registry) and release (the script); the routes are the
// service's. No hooks (request id, security headers, idempotency, metrics, logging, shutdown, tracing), no rate limit,
// no validation pipe, no problem filter. bench:hold runs it with `nest-floor` as a root; against the bare Fastify
// baseline and the service it says what Nest costs on this machine and what of ours is above it.
import { randomBytes } from 'node:crypto';
import {
  ConflictException,
  Controller,
  Delete,
  HttpCode,
  Module,
  NotFoundException,
  Param,
  Post,
  Get,
} from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const dist = new URL(process.env.SERVICE_DIST ?? '../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist));
const { loadConfig } = await load('config/app-config.js');
const { AccessTokens } = await load('auth/access-tokens.js');
const { AuthGuard } = await load('auth/auth.guard.js');
const { CurrentUser } = await load('auth/auth.decorators.js');
const { SystemClock } = await load('common/clock.js');
const { createRedisClient, redisOptionsFrom } = await load('redis/redis-client.js');
const { keys } = await load('redis/keys.js');
const { holdSeatsArgs, releaseFreeHoldArgs, seatScripts } = await load('events/seat-script-args.js');
const { encodeUserEvent } = await load('notifications/live-events.js');
const { toIso } = await load('common/iso-date-time.js');

const config = loadConfig(process.env);
const redis = createRedisClient(redisOptionsFrom(config));
await redis.connect();
const prefix = redis.options.keyPrefix ?? '';
const clock = new SystemClock();
const tokens = new AccessTokens(config, clock);
const tokenPrefix = randomBytes(6).toString('base64url');
let holdsSent = 0;

class SeatsController {
  async hold(eventId, seatId, user) {
    const now = clock.now();
    const expiresAt = now + 60_000;
    const notice = encodeUserEvent('seat.held', toIso(now), {
      eventId,
      seatIds: [seatId],
      expiresAt: toIso(expiresAt),
    });
    const terms = {
      now,
      offerUntil: now + config.waitlistOfferSeconds * 1000,
      expiresAt,
      maxHolds: config.maxHoldsPerUser,
      maxRenewals: config.holdMaxRenewals,
      startsAt: null,
      notice,
    };
    const token = `${tokenPrefix}${(++holdsSent).toString(36)}`;
    const [status] = await seatScripts.hold.run(redis, holdSeatsArgs(prefix, eventId, user.id, [seatId], terms, token));
    if (status !== 1) throw new ConflictException();
    await Promise.all([
      redis.zadd(keys.userHoldEvents(user.id), 'GT', expiresAt, eventId),
      redis.zadd(keys.expiringEvents(), 'LT', expiresAt, eventId),
    ]);
    return { eventId, seatId, userId: user.id, expiresAt: toIso(expiresAt), serverTime: toIso(now) };
  }

  async release(eventId, seatId, user) {
    const now = clock.now();
    const notice = encodeUserEvent('seat.released', toIso(now), { eventId, seatIds: [seatId] });
    // The service's usual release (nobody waits in the bench's event).
    const released = await seatScripts.releaseFree.run(
      redis,
      releaseFreeHoldArgs(prefix, eventId, user.id, seatId, now, notice),
    );
    if (released !== 1) throw new NotFoundException();
  }
}

class HealthController {
  ready() {
    return { status: 'ok' };
  }
}

// Decorators applied by hand: this is plain JavaScript.
const method = (cls, name, ...decorators) => {
  const descriptor = Object.getOwnPropertyDescriptor(cls.prototype, name);
  for (const decorate of decorators) decorate(cls.prototype, name, descriptor);
};
const params = (cls, name, ...decorators) => decorators.forEach((d, i) => d(cls.prototype, name, i));
method(SeatsController, 'hold', Post('seats/:seatId/hold'), HttpCode(200));
params(SeatsController, 'hold', Param('eventId'), Param('seatId'), CurrentUser());
method(SeatsController, 'release', Delete('seats/:seatId/hold'), HttpCode(204));
params(SeatsController, 'release', Param('eventId'), Param('seatId'), CurrentUser());
Controller('events/:eventId')(SeatsController);
method(HealthController, 'ready', Get('ready'));
Reflect.defineMetadata('auth:public', true, HealthController);
Controller('health')(HealthController);

class FloorModule {}
Module({ controllers: [SeatsController, HealthController] })(FloorModule);

const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false, bodyParser: false });
app.setGlobalPrefix('v1', { exclude: ['health/ready'] });
app.useGlobalGuards(new AuthGuard(new Reflector(), tokens));
await app.listen(config.port, config.host);
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => redis.quit())
    .then(() => process.exit(0)),
);
