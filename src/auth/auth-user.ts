import type { Role } from '../users/user.js';

/** Who is calling, as proven by the access token. */
export interface AuthUser {
  readonly id: string;
  readonly role: Role;
}
