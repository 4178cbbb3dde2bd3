import { Module } from '@nestjs/common';
import { BookingsController } from './bookings.controller.js';
import { BookingsRepository } from './bookings.repository.js';
import { BookingsService } from './bookings.service.js';
import { RedisBookingsRepository } from './redis-bookings.repository.js';

@Module({
  controllers: [BookingsController],
  providers: [BookingsService, { provide: BookingsRepository, useClass: RedisBookingsRepository }],
})
export class BookingsModule {}
