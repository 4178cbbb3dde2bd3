import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';
import type { HashOptions } from 'argon2';

/**
 * argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). `verifyMissing` spends the same time when no
 * account exists, so login timing does not reveal which emails are registered.
 */
@Injectable()
export class PasswordHasher {
  private static readonly options: HashOptions & { raw?: false } = {
    type: argon2id,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  };
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, PasswordHasher.options);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  async verifyMissing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('no account has this password');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
