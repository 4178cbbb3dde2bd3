import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CursorModule } from '../common/cursor.module.js';
import { EventsModule } from '../events/events.module.js';
import { LiveHandshakeController } from './live-handshake.controller.js';
import { LiveGateway } from './live.gateway.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsCoreModule } from './notifications-core.module.js';
import { ReminderWorkerModule } from './reminder-worker.module.js';
import { SeatStreamController } from './seat-stream.controller.js';

@Module({
  imports: [AuthModule, CursorModule, EventsModule, NotificationsCoreModule, ReminderWorkerModule],
  controllers: [NotificationsController, SeatStreamController, LiveHandshakeController],
  providers: [LiveGateway],
})
export class NotificationsModule {}
