import { Module } from '@nestjs/common';
import { RedisRestaurantsRepository } from './redis-restaurants.repository.js';
import { RestaurantReservationsController } from './restaurant-reservations.controller.js';
import { RestaurantsController } from './restaurants.controller.js';
import { RestaurantsRepository } from './restaurants.repository.js';
import { RestaurantsService } from './restaurants.service.js';

@Module({
  controllers: [RestaurantsController, RestaurantReservationsController],
  providers: [RestaurantsService, { provide: RestaurantsRepository, useClass: RedisRestaurantsRepository }],
})
export class RestaurantsModule {}
