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

/**
 * Member of a search index `{users-search:<role>}` (scores 0): `<token>\0<role member>`, where the token is the
 * account's email or a name token (users/user-search.ts). NUL sorts before any character, so every member whose
 * token starts with a query lies in one BYLEX range, `[<query>` to `[<query>\xff` (0xFF is never in UTF-8), and the
 * accounts of one token are in creation order.
 */
export const searchMember = (token: string, user: Pick<User, 'createdAt' | 'id'>) => `${token}\0${roleMember(user)}`;

export function parseSearchMember(member: string): { token: string; createdAt: number; userId: string } {
  const nul = member.indexOf('\0');
  return { token: member.slice(0, nul), ...parseRoleMember(member.slice(nul + 1)) };
}
