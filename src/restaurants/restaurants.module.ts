import { Module } from '@nestjs/common';
import { RedisRestaurantsRepository } from './redis-restaurants.repository.js';
import { RestaurantReservationsController } from './restaurant-reservations.controller.js';
import { RestaurantReservationsService } from './restaurant-reservations.service.js';
import { RestaurantsController } from './restaurants.controller.js';
import { RestaurantsRepository } from './restaurants.repository.js';
import { RestaurantsService } from './restaurants.service.js';
import { CursorModule } from '../common/cursor.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { NotificationsCoreModule } from '../notifications/notifications-core.module.js';

@Module({
  imports: [CursorModule, MetricsModule, NotificationsCoreModule],
  controllers: [RestaurantsController, RestaurantReservationsController],
  providers: [
    RestaurantsService,
    RestaurantReservationsService,
    { provide: RestaurantsRepository, useClass: RedisRestaurantsRepository },
  ],
})
export class RestaurantsModule {}
