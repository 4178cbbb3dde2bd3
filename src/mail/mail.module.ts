import { Module } from '@nestjs/common';
import { EventsReadModule } from '../events/events-read.module.js';
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
 * of it exists here, so this process neither takes nor announces mail jobs; its relay queues mail (routing jobs) only
 * for another process that announced mail.
 */
@Module({
  imports: [UsersModule, PreferencesModule, OutboxModule, MetricsModule, EventsReadModule],
  providers: [
    // Events through their read module (one plan cache per process). Restaurants through their repository, not their
    // module: it brings controllers and sweepers, and mail may run in `npm run worker`, which must not sweep or serve.
    // RedisRestaurantsRepository keeps no cache, so a second instance costs nothing.
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
