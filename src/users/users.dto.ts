import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { toInteger } from '../common/pagination.js';
import { DisplayText } from '../common/validation.js';
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

export class UsersQuery {
  @ApiPropertyOptional({
    example: 'ada',
    maxLength: 100,
    description:
      'Finds accounts whose email starts with it, or whose name has a word from which on the name starts with it ' +
      '("lov" and "ada lov" find Ada Lovelace). Compared as emails are stored: trimmed, Unicode NFKC, lower-cased; ' +
      'runs of white space count as one space; accents count ("jose" does not find José). Empty means every account.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @DisplayText()
  readonly query?: string;

  @ApiPropertyOptional({ enum: ROLES, description: 'Only accounts with this role' })
  @IsOptional()
  @IsIn(ROLES)
  readonly role?: Role;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Items per page' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  readonly limit?: number;

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page, with the same `query` and `role` (another is a 400)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  readonly cursor?: string;
}

export class UsersPageView {
  @ApiProperty({ type: [UserView] }) readonly items!: UserView[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null on the last page. A page may hold fewer than `limit` items and still have a next one.',
  })
  readonly nextCursor!: string | null;
}
