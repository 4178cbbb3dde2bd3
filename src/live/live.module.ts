import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { SeatStreamModule } from '../events/seat-stream.module.js';
import { NotificationsCoreModule } from '../notifications/notifications-core.module.js';
import { LiveHandshakeController } from './live-handshake.controller.js';
import { LiveGateway } from './live.gateway.js';

/** The WebSocket endpoint: one socket carries its user's events (notifications) and the seat maps it follows (events). */
@Module({
  imports: [AuthModule, EventsModule, SeatStreamModule, NotificationsCoreModule],
  controllers: [LiveHandshakeController],
  providers: [LiveGateway],
})
export class LiveModule {}
