import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import type { Role } from '../users/user.js';
import { UsersRepository } from '../users/users.repository.js';

/** How long an owner's role, once read, is trusted: a demotion or deletion reaches deliveries within this. */
export const OWNER_ROLE_CACHE_MS = 10_000;

/**
 * The current role of endpoint owners (null: the account is gone). What an endpoint receives follows its owner's
 * role now, not at registration: a demoted admin's endpoint gets only what a manager's would, a customer's nothing.
 * Read per relay batch and per attempt, cached briefly per process so the fan-out stays one read per owner.
 */
@Injectable()
export class WebhookOwners {
  private readonly roles = new Map<string, { role: Role | null; until: number }>();

  constructor(
    private readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {}

  async roleOf(ownerId: string): Promise<Role | null> {
    const now = this.clock.now();
    const cached = this.roles.get(ownerId);
    if (cached && cached.until > now) return cached.role;
    const role = (await this.users.findById(ownerId))?.role ?? null;
    this.roles.set(ownerId, { role, until: now + OWNER_ROLE_CACHE_MS });
    return role;
  }

  /** The roles of several owners, one read each (uncached ones). */
  async rolesOf(ownerIds: Iterable<string>): Promise<Map<string, Role | null>> {
    const ids = [...new Set(ownerIds)];
    const roles = await Promise.all(ids.map((id) => this.roleOf(id)));
    return new Map(ids.map((id, i) => [id, roles[i]]));
  }

  /** Forgets cached roles (tests that change a role and want it seen at once). */
  forget(): void {
    this.roles.clear();
  }
}
