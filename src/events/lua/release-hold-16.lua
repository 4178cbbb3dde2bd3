--[[
  Ends the caller's live hold on a seat. The seat is free again at once: offered to the first fitting entry of the
  waiting line, else available (include/free-seats.lua). Formats: include/seat-state.lua, include/free-seats.lua;
  changes are announced by include/announce.lua.

  KEYS[1..15], ARGV[1..8]  the freeing layout (include/free-seats.lua)
  KEYS[16] live holds of this user in the event
  ARGV[9]  seat id    ARGV[10]  userId
  ARGV[11] the user's pub/sub channel   ARGV[12] the user event to publish there once released (empty: none)

  Returns: {1, offers}   released (offers: see free-seats.lua)
           {0}           the user holds no live hold on it
]]
--!include seat-state
--!include seat-meta
--!include announce
--!include outbox/outbox
--!include free-seats
local announce, free = seatFreeing()

local kind, holder, time = seatState(redis.call('HGET', KEYS[1], ARGV[9]))
if kind ~= 'H' or holder ~= ARGV[10] or tonumber(time) <= tonumber(ARGV[1]) then
  return { 0 }
end
redis.call('ZREM', KEYS[16], ARGV[9])
-- Published before the offers, so a holder in line hears of the release before the offer that follows it.
if ARGV[12] ~= '' then
  redis.call('PUBLISH', ARGV[11], ARGV[12])
end
return { 1, free({ ARGV[9] }, nil, ARGV[10]) }
