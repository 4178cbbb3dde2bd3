import { Module } from '@nestjs/common';
import { OutboxConsumers } from './outbox-consumer.js';
import { OutboxDeliveries } from './outbox-deliveries.js';
import { OutboxRelay } from './outbox-relay.js';

/**
 * The transactional outbox's relay and delivery jobs. Domain scripts append through lua/include/outbox.lua; consumers
 * (webhooks, email) register with OutboxConsumers. The relay and the delivery worker run where OUTBOX_RELAY is true
 * (the API and `npm run worker` both may).
 */
@Module({
  providers: [OutboxConsumers, OutboxDeliveries, OutboxRelay],
  exports: [OutboxConsumers, OutboxDeliveries, OutboxRelay],
})
export class OutboxModule {}
