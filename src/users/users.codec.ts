import { lexMember, parseLexMember } from '../redis/keys.js';
import type { User } from './user.js';

/**
 * Member of a role index `{users-by-role:<role>}`: `<createdAt, 15 digits>:<userId>`. The demotion script removes
 * exactly this member, so it is built here only.
 */
export const roleMember = (user: Pick<User, 'createdAt' | 'id'>) => lexMember(user.createdAt, user.id);

export function parseRoleMember(member: string): { createdAt: number; userId: string } {
  const { time, ref } = parseLexMember(member);
  return { createdAt: time, userId: ref };
}
