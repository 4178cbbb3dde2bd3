import { Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';
import { EventsReadModule } from './events-read.module.js';
import { EventsService } from './events.service.js';
import { HoldExpirySweeper } from './hold-expiry.sweeper.js';
import { MySeatsController } from './my-seats.controller.js';
import { RedisSeatsRepository } from './redis-seats.repository.js';
import { SeatMapCache } from './seat-map.cache.js';
import { SeatMapSerializer } from './seat-map.serializer.js';
import { SeatsController } from './seats.controller.js';
import { SeatsRepository } from './seats.repository.js';
import { SeatsService } from './seats.service.js';
import { CursorModule } from '../common/cursor.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { NotificationsCoreModule } from '../notifications/notifications-core.module.js';

@Module({
  imports: [CursorModule, MetricsModule, NotificationsCoreModule, EventsReadModule],
  controllers: [EventsController, SeatsController, MySeatsController],
  providers: [
    EventsService,
    SeatsService,
    SeatMapSerializer,
    SeatMapCache,
    HoldExpirySweeper,
    { provide: SeatsRepository, useClass: RedisSeatsRepository },
  ],
  exports: [EventsReadModule, EventsService],
})
export class EventsModule {}
