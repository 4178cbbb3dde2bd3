import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ROLES } from './user.js';
import type { Role, User } from './user.js';

export class UpdateUserDto {
  @ApiProperty({ enum: ROLES, example: 'manager' })
  @IsIn(ROLES)
  readonly role!: Role;
}

export class UserView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ example: 'ada@example.com' }) readonly email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) readonly name!: string;
  @ApiProperty({ enum: ROLES }) readonly role!: Role;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;

  static of(user: User): UserView {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      createdAt: new Date(user.createdAt).toISOString(),
    };
  }
}
