import { Module } from '@nestjs/common';
import { NotificationsCoreModule } from '../notifications/notifications-core.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { UsersModule } from '../users/users.module.js';
import { WebhookOwners } from './webhook-owners.js';
import { RedisWebhooksRepository } from './redis-webhooks.repository.js';
import { WebhooksConsumer } from './webhooks.consumer.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * Delivering webhooks: the outbox consumer and the endpoints' store. In every process that runs the outbox relay
 * (the API, `npm run worker`), so that each can run webhook jobs; the API adds the routes (WebhooksModule).
 */
@Module({
  imports: [OutboxModule, NotificationsCoreModule, UsersModule],
  providers: [WebhooksConsumer, WebhookOwners, { provide: WebhooksRepository, useClass: RedisWebhooksRepository }],
  exports: [WebhooksConsumer, WebhooksRepository, OutboxModule],
})
export class WebhookDeliveryModule {}
