import { Module } from '@nestjs/common';
import { PreferencesController } from './preferences.controller.js';
import { PreferencesRepository } from './preferences.repository.js';
import { PreferencesService } from './preferences.service.js';
import { RedisPreferencesRepository } from './redis-preferences.repository.js';

/** A user's preferences (GET/PATCH /v1/users/me/preferences); the mail module reads them through the service. */
@Module({
  controllers: [PreferencesController],
  providers: [PreferencesService, { provide: PreferencesRepository, useClass: RedisPreferencesRepository }],
  exports: [PreferencesService],
})
export class PreferencesModule {}
