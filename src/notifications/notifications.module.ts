import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { ReminderWorker } from './bull-reminders.js';
import { LiveHandshakeController } from './live-handshake.controller.js';
import { LiveGateway } from './live.gateway.js';
import { NotificationsController } from './notifications.controller.js';
import { SeatStreamController } from './seat-stream.controller.js';

@Module({
  imports: [AuthModule, EventsModule],
  controllers: [NotificationsController, SeatStreamController, LiveHandshakeController],
  providers: [LiveGateway, ReminderWorker],
  exports: [ReminderWorker],
})
export class NotificationsModule {}
