import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';
import { NotFoundError } from '../common/domain-error.js';
import type { Role, User } from '../users/user.js';
import { UsersRepository } from '../users/users.repository.js';
import { normalizeEmail } from '../users/email.js';
import { AccessTokens } from './access-tokens.js';
import { EmailTakenError, InvalidCredentialsError, InvalidRefreshTokenError } from './auth.errors.js';
import { UserView } from '../users/users.dto.js';
import type { LoginDto, RegisterDto, SessionView } from './auth.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';

const REFRESH_TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

const hashToken = (secret: string) => createHash('sha256').update(secret).digest('base64url');

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly accessTokens: AccessTokens,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Creates a customer or provider account and signs it in. */
  async register(dto: RegisterDto): Promise<SessionView> {
    const user = await this.createUser(dto.email, dto.password, dto.name, dto.role ?? 'customer');
    return this.startSession(user);
  }

  /** Fails the same way, and in about the same time, whether the email is unknown or the password wrong. */
  async login(dto: LoginDto): Promise<SessionView> {
    const user = await this.users.findByEmail(normalizeEmail(dto.email));
    const valid = user
      ? await this.hasher.verify(user.passwordHash, dto.password)
      : await this.hasher.verifyMissing(dto.password);
    if (!user || !valid) throw new InvalidCredentialsError();
    return this.startSession(user);
  }

  /**
   * Swaps a refresh token for a new pair. The user is read again, so a role granted meanwhile takes effect. The token
   * spent by the last rotation still swaps within `REFRESH_REUSE_GRACE_SECONDS` (its answer may have been lost).
   */
  async refresh(refreshToken: string): Promise<SessionView> {
    const parsed = REFRESH_TOKEN.exec(refreshToken);
    if (!parsed) throw new InvalidRefreshTokenError();
    const [, familyId, secret] = parsed;
    const next = randomBytes(32).toString('base64url');
    const result = await this.refreshTokens.rotate(familyId, hashToken(secret), hashToken(next), {
      ttlSeconds: this.config.refreshTokenTtlSeconds,
      nowMs: this.clock.now(),
      reuseGraceMs: this.config.refreshReuseGraceSeconds * 1000,
    });
    if (result.outcome === 'reused') {
      throw new InvalidRefreshTokenError(
        'The refresh token was already used; every session of this login is now ended',
      );
    }
    if (result.outcome === 'invalid') throw new InvalidRefreshTokenError();
    const user = await this.users.findById(result.userId);
    if (!user) throw new InvalidRefreshTokenError();
    return this.session(user, `${familyId}.${next}`);
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are accepted silently (nothing to reveal). */
  async logout(refreshToken: string): Promise<void> {
    const parsed = REFRESH_TOKEN.exec(refreshToken);
    if (parsed) await this.refreshTokens.revoke(parsed[1], hashToken(parsed[2]));
  }

  async me(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundError('The account');
    return UserView.of(user);
  }

  /** Makes sure the configured first admin exists and is an admin. Its password is set only when it is created. */
  async ensureAdmin(email: string, password: string): Promise<User> {
    const existing = await this.users.findByEmail(normalizeEmail(email));
    if (!existing) return this.createUser(email, password, 'Administrator', 'admin');
    if (existing.role === 'admin') return existing;
    const promoted = await this.users.setRole(existing.id, 'admin');
    return promoted.outcome === 'changed' ? promoted.user : existing;
  }

  /** `email` as the client sent it: it is stored normalized. */
  private async createUser(email: string, password: string, name: string, role: Role): Promise<User> {
    const user: User = {
      id: randomUUID(),
      email: normalizeEmail(email),
      name,
      role,
      passwordHash: await this.hasher.hash(password),
      createdAt: this.clock.now(),
    };
    if (!(await this.users.create(user))) throw new EmailTakenError();
    return user;
  }

  private async startSession(user: User): Promise<SessionView> {
    const familyId = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    await this.refreshTokens.start(familyId, user.id, hashToken(secret), this.config.refreshTokenTtlSeconds);
    return this.session(user, `${familyId}.${secret}`);
  }

  private session(user: User, refreshToken: string): SessionView {
    return {
      accessToken: this.accessTokens.sign(user),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
      user: UserView.of(user),
    };
  }
}
