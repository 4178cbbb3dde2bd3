import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ROLES } from './user.js';
import type { Role } from './user.js';

export class UpdateUserDto {
  @ApiProperty({ enum: ROLES, example: 'manager' })
  @IsIn(ROLES)
  readonly role!: Role;
}
