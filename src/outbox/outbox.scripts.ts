import { LuaScript } from '../redis/lua-scripts.js';
import type { StreamEntry } from './outbox.codec.js';

const lua = new URL('./lua/', import.meta.url);

/** The relay's scripts (the append every domain script makes is the include lua/include/outbox.lua). */
export const outboxScripts = {
  /**
   * Answers the entries up to a stream id whose type is wanted, removing the others: `[more, dropped, ...entries]`
   * (more: 1 when entries up to that id are left to look at). ARGV: last id, most entries, wanted types ('*': all).
   */
  take: new LuaScript<
    readonly [stream: string],
    readonly [last: string, most: number, ...wanted: string[]],
    [number, number, ...StreamEntry[]]
  >('outbox:take', lua, 'take-outbox-1.lua'),
  /** Answers the entries left after removing the handed-over ones, given as (stream id, event id) pairs (the stream is deleted at 0). */
  trim: new LuaScript<readonly [stream: string], readonly string[], number>('outbox:trim', lua, 'trim-outbox-1.lua'),
};
