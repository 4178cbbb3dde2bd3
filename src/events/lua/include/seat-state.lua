-- The seat state, a field of the event's seat-state hash: "H|<userId>|<expiresAtMs>" (held) or
-- "R|<userId>|<reservedAtMs>|<categoryId>|<amount>|<currency>" (reserved, with the seat's category and price when it
-- was reserved; amount and currency empty when the category had no price; reservations made before issue 19 have the
-- first three fields only); absent means available. The one Lua definition (every seat script that reads or writes a
-- state includes it with `--!include seat-state`); events/seat-state.codec.ts is the TypeScript one.
-- seatState(value) -> kind ('H' | 'R'; nil for absent, false or unreadable), userId, time (ms, as text), and for a
--   reservation with a snapshot: categoryId, amount, currency (text; amount and currency may be '')
-- heldState(userId, expiresAt), reservedState(userId, reservedAt, categoryId, amount, currency) -> the stored value
local function seatState(value)
  value = value or ''
  local kind, holder, time = string.match(value, '^(%a)|([^|]+)|(%d+)$')
  if kind then
    return kind, holder, time
  end
  return string.match(value, '^(R)|([^|]+)|(%d+)|([%w_%-]*)|(%d*)|(%u*)$')
end

local function heldState(userId, expiresAt)
  return 'H|' .. userId .. '|' .. expiresAt
end

local function reservedState(userId, reservedAt, categoryId, amount, currency)
  return 'R|' .. userId .. '|' .. reservedAt .. '|' .. categoryId .. '|' .. amount .. '|' .. currency
end
