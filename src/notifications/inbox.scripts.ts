import { LuaScript } from '../redis/lua-scripts.js';

/** The inbox's script (lua/add-notification-3.lua gives KEYS, ARGV and answers), declared once. */
const lua = new URL('./lua/', import.meta.url);

export const inboxScripts = {
  /** Whether this add stored it (false: it was there already; a re-sent add, same token, answers true again). */
  add: new LuaScript<
    readonly [notification: string, inbox: string, unread: string],
    readonly [
      id: string,
      inboxMember: string,
      type: string,
      title: string,
      data: string,
      createdAt: number,
      addToken: string,
    ],
    number,
    boolean
  >('notifications:add', lua, 'add-notification-3.lua', { 1: () => true, 0: () => false }),
};
