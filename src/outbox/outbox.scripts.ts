import { LuaScript } from '../redis/lua-scripts.js';

const lua = new URL('./lua/', import.meta.url);

/** The relay's scripts (the append every domain script makes is the include lua/include/outbox.lua). */
export const outboxScripts = {
  /** Answers the entries left after removing the handed-over ones, given as (stream id, event id) pairs (the stream is deleted at 0). */
  trim: new LuaScript<readonly [stream: string], readonly string[], number>('outbox:trim', lua, 'trim-outbox-1.lua'),
};
