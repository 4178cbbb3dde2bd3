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
  local kind, holder, time = string.match(value, '^([HR])|([^|]+)|(%d+)$')
  if kind then
    return kind, holder, time
  end
  local user, at, categoryId, amount, currency = string.match(value, '^R|([^|]+)|(%d+)|([%w_%-]*)|(%d*)|(%u*)$')
  -- The same values as seat-state.codec.ts reads (test/integration/seat-state-parsers.test.ts): no price at all, or
  -- a category with an amount and a three-letter currency; anything else is unreadable there and here.
  if user and ((amount == '' and currency == '') or (categoryId ~= '' and amount ~= '' and #currency == 3)) then
    return 'R', user, at, categoryId, amount, currency
  end
  return nil
end

local function heldState(userId, expiresAt)
  return 'H|' .. userId .. '|' .. expiresAt
end

-- No category (a seat without seat-meta: the venue migration has not reached its event) gives the three-field value
-- of reservations without a price, never "R|user|at|||", which no parser reads.
local function reservedState(userId, reservedAt, categoryId, amount, currency)
  if categoryId == '' then
    return 'R|' .. userId .. '|' .. reservedAt
  end
  return 'R|' .. userId .. '|' .. reservedAt .. '|' .. categoryId .. '|' .. amount .. '|' .. currency
end
