export const ROLES = ['customer', 'provider', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles anyone may pick at registration; the others are granted by an admin. */
export const SELF_SERVICE_ROLES = ['customer', 'provider'] as const satisfies readonly Role[];

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly createdAt: number;
}
