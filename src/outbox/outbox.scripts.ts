import { LuaScript } from '../redis/lua-scripts.js';
import type { StreamEntry } from './outbox.codec.js';

const lua = new URL('./lua/', import.meta.url);

/** The relay's scripts (the append every domain script makes is the include lua/include/outbox.lua). */
export const outboxScripts = {
  /**
   * Answers the entries after one stream id and up to another whose type is wanted, removing the others:
   * `[more, dropped, ...entries]` (more: 1 when entries up to that id are left to look at). ARGV: after, last id,
   * the last entry's event id (every type when it is gone), most entries, wanted types ('*': all).
   */
  take: new LuaScript<
    readonly [stream: string],
    readonly [after: string, last: string, lastEventId: string, most: number, ...wanted: string[]],
    [number, number, ...StreamEntry[]]
  >('outbox:take', lua, 'take-outbox-1.lua'),
  /** Answers the entries left after removing the handed-over ones, given as (stream id, event id) pairs (the stream is deleted at 0). */
  trim: new LuaScript<readonly [stream: string], readonly string[], number>('outbox:trim', lua, 'trim-outbox-1.lua'),
};
