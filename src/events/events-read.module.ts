import { Module } from '@nestjs/common';
import { EventsRepository } from './events.repository.js';
import { RedisEventsRepository } from './redis-events.repository.js';

/**
 * The events' repository alone, for modules that read events (mail) in processes that must not serve or sweep them
 * (`npm run worker`). One instance per process: EventsModule takes it from here too, so the API process keeps one
 * plan cache, not one per reader.
 */
@Module({
  providers: [{ provide: EventsRepository, useClass: RedisEventsRepository }],
  exports: [EventsRepository],
})
export class EventsReadModule {}
