import { LuaScript } from '../redis/lua-scripts.js';
import type { ScriptCall } from '../redis/lua-scripts.js';
import { keys } from '../redis/keys.js';

/** The venue scripts (issue 19): names, KEYS and ARGV in their headers' order, and what their answers mean. */
const lua = new URL('./lua/', import.meta.url);

type PriceKeys = readonly [categories: string];
type PriceArgs = readonly [categoryId: string, stored: string];

export const venueScripts = {
  /** Whether the category existed and got its new price. */
  setPrice: new LuaScript<PriceKeys, PriceArgs, number, boolean>('venues:setPrice', lua, 'set-category-price-1.lua', {
    1: () => true,
    0: () => false,
  }),
};

export function setPriceArgs(eventId: string, categoryId: string, stored: string): ScriptCall<PriceKeys, PriceArgs> {
  return [keys.eventCategories(eventId), categoryId, stored];
}
