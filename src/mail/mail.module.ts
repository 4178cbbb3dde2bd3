import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { PreferencesModule } from '../preferences/preferences.module.js';
import { RestaurantsModule } from '../restaurants/restaurants.module.js';
import { UsersModule } from '../users/users.module.js';
import { MailComposer } from './mail-composer.js';
import { MailFacts } from './mail-facts.js';
import { MailService } from './mail.service.js';
import { Mailer } from './mailer.js';
import { RepositoryMailFacts } from './repository-mail-facts.js';
import { SmtpMailer } from './smtp-mailer.js';

/**
 * Email over SMTP, sent for outbox events. Registered only when SMTP_URL is set (app.module.ts): without it nothing
 * of it exists, so no consumer takes mail jobs and none are queued.
 */
@Module({
  imports: [UsersModule, PreferencesModule, EventsModule, RestaurantsModule],
  providers: [
    MailComposer,
    MailService,
    { provide: Mailer, useClass: SmtpMailer },
    { provide: MailFacts, useClass: RepositoryMailFacts },
  ],
  exports: [MailService],
})
export class MailModule {}
