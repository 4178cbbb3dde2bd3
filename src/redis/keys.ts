import { createHash } from 'node:crypto';

/**
 * Every Redis key of the service is built here (the configured prefix is added by the client). Keys of one aggregate
 * share a hash tag in braces, and each Lua script is given keys of one tag only, so the layout works on Redis Cluster.
 * docs/architecture.md has the table of keys, types and TTLs.
 */
const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

export const keys = {
  /** Hash: one user account. */
  user: (userId: string) => `{user:${userId}}`,
  /** String: user id of an email (lower-cased, hashed so odd characters never shape the key). */
  userEmail: (email: string) => `user-email:{${digest(email)}}`,
  /** Sorted set: user ids with a role, scored by creation time (lists of providers, managers). */
  usersByRole: (role: string) => `{users-by-role:${role}}`,
  /** Hash: one refresh-token family (rotation state); expires with the family. */
  refreshFamily: (familyId: string) => `{refresh:${familyId}}`,
} as const;
