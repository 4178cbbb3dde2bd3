import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { SELF_SERVICE_ROLES } from '../users/user.js';
import { UserView } from '../users/users.dto.js';
import { DisplayText, trimmed } from '../common/validation.js';
import { IsAccountEmail } from '../users/email.js';

export class RegisterDto {
  @ApiProperty({
    example: 'ada@example.com',
    maxLength: 254,
    description: 'Stored normalized: NFKC, then lower case (docs/security.md)',
  })
  @Transform(trimmed)
  @IsString()
  @MaxLength(254)
  @IsAccountEmail()
  readonly email!: string;

  @ApiProperty({ example: 'correct horse battery', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  readonly password!: string;

  @ApiProperty({ example: 'Ada Lovelace', maxLength: 100 })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @DisplayText()
  readonly name!: string;

  @ApiPropertyOptional({
    enum: SELF_SERVICE_ROLES,
    default: 'customer',
    description: 'manager and admin are granted by an admin',
  })
  @IsOptional()
  @IsIn(SELF_SERVICE_ROLES)
  readonly role?: (typeof SELF_SERVICE_ROLES)[number];
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com', description: 'Any spelling that normalizes to the account’s email' })
  @Transform(trimmed)
  @IsString()
  @MaxLength(254)
  readonly email!: string;

  @ApiProperty({ example: 'correct horse battery' })
  @IsString()
  @MaxLength(128)
  readonly password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login, register or the last refresh' })
  @IsString()
  @MaxLength(200)
  readonly refreshToken!: string;
}

export class SessionView {
  @ApiProperty({ description: 'Send as "Authorization: Bearer <accessToken>"' }) readonly accessToken!: string;
  @ApiProperty({ description: 'Single use: each refresh returns a new one' }) readonly refreshToken!: string;
  @ApiProperty({ example: 'Bearer' }) readonly tokenType!: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' }) readonly expiresIn!: number;
  @ApiProperty({ type: UserView }) readonly user!: UserView;
}
