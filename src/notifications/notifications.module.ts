import { Module } from '@nestjs/common';
import { CursorModule } from '../common/cursor.module.js';
import { InboxService } from './inbox.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsCoreModule } from './notifications-core.module.js';
import { ReminderWorkerModule } from './reminder-worker.module.js';

@Module({
  imports: [CursorModule, NotificationsCoreModule, ReminderWorkerModule],
  controllers: [NotificationsController],
  providers: [InboxService],
})
export class NotificationsModule {}
