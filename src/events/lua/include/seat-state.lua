-- The seat state, a field of the event's seat-state hash: "H|<userId>|<expiresAtMs>" (held) or
-- "R|<userId>|<reservedAtMs>" (reserved); absent means available. The one Lua definition (every seat script that
-- reads or writes a state includes it with `--!include seat-state`); events/seat-state.codec.ts is the TypeScript one.
-- seatState(value) -> kind ('H' | 'R'; nil for absent, false or unreadable), userId, time (ms, as text)
-- heldState(userId, expiresAt), reservedState(userId, reservedAt) -> the stored value
local function seatState(value)
  return string.match(value or '', '^(%a)|([^|]+)|(%d+)$')
end

local function heldState(userId, expiresAt)
  return 'H|' .. userId .. '|' .. expiresAt
end

local function reservedState(userId, reservedAt)
  return 'R|' .. userId .. '|' .. reservedAt
end
