import { LuaScript } from '../redis/lua-scripts.js';

/** Users' scripts (lua/*.lua; their headers give KEYS, ARGV and answers), declared once, registered once per client. */
const lua = new URL('./lua/', import.meta.url);

/** What the admin guard did: removed the account from the admin index, found nothing to guard, or refused. */
export type DemoteGuard = 'removed' | 'not-admin' | 'last-admin';

export const usersScripts = {
  /** Answers the previous role, or null when the account does not exist. */
  setRole: new LuaScript<readonly [user: string], readonly [role: string], string | null>(
    'users:set-role',
    lua,
    'set-role-1.lua',
  ),
  demoteAdmin: new LuaScript<
    readonly [adminIndex: string],
    readonly [member: string, storedAsAdmin: '0' | '1'],
    number,
    DemoteGuard
  >('users:demote-admin', lua, 'users-demote-admin-1.lua', {
    1: () => 'removed',
    0: () => 'not-admin',
    [-1]: () => 'last-admin',
  }),
};
