import { LuaScript } from '../redis/lua-scripts.js';

/** The inbox's script (lua/add-notification-4.lua gives KEYS, ARGV and answers), declared once. */
const lua = new URL('./lua/', import.meta.url);

export const inboxScripts = {
  /** Whether this add stored it (false: it was there already; a re-sent add, same token, answers true again). */
  add: new LuaScript<
    readonly [notification: string, inbox: string, unread: string, outbox: string],
    readonly [
      id: string,
      inboxMember: string,
      type: string,
      title: string,
      data: string,
      createdAt: number,
      addToken: string,
      eventType: string,
      eventData: string,
      userId: string,
    ],
    number,
    boolean
  >('notifications:add', lua, 'add-notification-4.lua', { 1: () => true, 0: () => false }),
};
