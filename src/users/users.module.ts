import { Module } from '@nestjs/common';
import { CursorModule } from '../common/cursor.module.js';
import { EmailMigration } from './email-migration.js';
import { EmailMigrationRepository } from './email-migration.repository.js';
import { RedisEmailMigrationRepository } from './redis-email-migration.repository.js';
import { SearchIndexMigration } from './search-index-migration.js';
import { RedisUsersRepository } from './redis-users.repository.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [CursorModule],
  providers: [
    UsersService,
    EmailMigration,
    SearchIndexMigration,
    { provide: UsersRepository, useClass: RedisUsersRepository },
    { provide: EmailMigrationRepository, useClass: RedisEmailMigrationRepository },
  ],
  exports: [UsersRepository, UsersService, EmailMigration, SearchIndexMigration],
})
export class UsersModule {}
