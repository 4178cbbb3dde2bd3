import { Module } from '@nestjs/common';
import { EmailMigration } from './email-migration.js';
import { EmailMigrationRepository } from './email-migration.repository.js';
import { RedisEmailMigrationRepository } from './redis-email-migration.repository.js';
import { RedisUsersRepository } from './redis-users.repository.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  providers: [
    UsersService,
    EmailMigration,
    { provide: UsersRepository, useClass: RedisUsersRepository },
    { provide: EmailMigrationRepository, useClass: RedisEmailMigrationRepository },
  ],
  exports: [UsersRepository, UsersService, EmailMigration],
})
export class UsersModule {}
