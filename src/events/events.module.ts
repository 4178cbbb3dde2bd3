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
import { RedisWaitlistRepository } from './redis-waitlist.repository.js';
import { WaitlistController } from './waitlist.controller.js';
import { WaitlistRepository } from './waitlist.repository.js';
import { WaitlistService } from './waitlist.service.js';
import { WaitlistOffers } from './waitlist-offers.js';
import { RedisVenueRepository } from './redis-venue.repository.js';
import { VenueController } from './venue.controller.js';
import { VenueRepository } from './venue.repository.js';
import { VenueService } from './venue.service.js';
import { VenueMigration } from './venue-migration.js';
import { CursorModule } from '../common/cursor.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { NotificationsCoreModule } from '../notifications/notifications-core.module.js';

@Module({
  imports: [CursorModule, MetricsModule, NotificationsCoreModule, EventsReadModule],
  controllers: [EventsController, SeatsController, MySeatsController, WaitlistController, VenueController],
  providers: [
    EventsService,
    SeatsService,
    SeatMapSerializer,
    SeatMapCache,
    HoldExpirySweeper,
    WaitlistService,
    WaitlistOffers,
    { provide: WaitlistRepository, useClass: RedisWaitlistRepository },
    { provide: SeatsRepository, useClass: RedisSeatsRepository },
    VenueService,
    { provide: VenueRepository, useClass: RedisVenueRepository },
    VenueMigration,
  ],
  exports: [EventsReadModule, EventsService, VenueMigration],
})
export class EventsModule {}
