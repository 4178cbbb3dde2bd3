import { Module } from '@nestjs/common';
import { CursorModule } from '../common/cursor.module.js';
import { WebhookDeliveryModule } from './webhook-delivery.module.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** The webhook routes (/v1/webhooks) over the delivery module. */
@Module({
  imports: [WebhookDeliveryModule, CursorModule],
  controllers: [WebhooksController],
  providers: [WebhooksService],
})
export class WebhooksModule {}
