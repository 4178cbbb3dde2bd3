import { Module } from '@nestjs/common';
import { RedisUsersRepository } from './redis-users.repository.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  controllers: [UsersController],
  providers: [UsersService, { provide: UsersRepository, useClass: RedisUsersRepository }],
  exports: [UsersRepository],
})
export class UsersModule {}
