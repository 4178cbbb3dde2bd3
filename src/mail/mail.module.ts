import { Module } from '@nestjs/common';
import { EventsRepository } from '../events/events.repository.js';
import { RedisEventsRepository } from '../events/redis-events.repository.js';
import { PreferencesModule } from '../preferences/preferences.module.js';
import { RedisRestaurantsRepository } from '../restaurants/redis-restaurants.repository.js';
import { RestaurantsRepository } from '../restaurants/restaurants.repository.js';
import { UsersModule } from '../users/users.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { MailComposer } from './mail-composer.js';
import { MailConsumer } from './mail.consumer.js';
import { MailFacts } from './mail-facts.js';
import { MailMetrics } from './mail-metrics.js';
import { MailService } from './mail.service.js';
import { Mailer } from './mailer.js';
import { RepositoryMailFacts } from './repository-mail-facts.js';
import { SmtpMailer } from './smtp-mailer.js';

/**
 * Email over SMTP, sent for outbox events. Registered only when SMTP_URL is set (app.module.ts): without it nothing
 * of it exists, so no consumer takes mail jobs and none are queued.
 */
@Module({
  imports: [UsersModule, PreferencesModule, OutboxModule, MetricsModule],
  providers: [
    // Read through the owners' repositories, not their modules: those bring controllers and sweepers, and mail may
    // run in `npm run worker`, which must not sweep or serve.
    { provide: EventsRepository, useClass: RedisEventsRepository },
    { provide: RestaurantsRepository, useClass: RedisRestaurantsRepository },
    MailComposer,
    MailService,
    MailConsumer,
    MailMetrics,
    { provide: Mailer, useClass: SmtpMailer },
    { provide: MailFacts, useClass: RepositoryMailFacts },
  ],
  exports: [MailService],
})
export class MailModule {}
