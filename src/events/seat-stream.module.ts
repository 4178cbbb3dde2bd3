import { Module } from '@nestjs/common';
import { EventsModule } from './events.module.js';
import { RedisSeatChanges } from './redis-seat-changes.js';
import { SeatChanges } from './seat-changes.js';
import { SeatStreamController } from './seat-stream.controller.js';

/** The seat live stream: seat changes as they happen and since a sequence number, over SSE and for the WebSocket. */
@Module({
  imports: [EventsModule],
  controllers: [SeatStreamController],
  providers: [{ provide: SeatChanges, useClass: RedisSeatChanges }],
  exports: [SeatChanges],
})
export class SeatStreamModule {}
