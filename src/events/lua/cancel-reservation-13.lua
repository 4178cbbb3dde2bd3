--[[
  Cancels the reservation of one seat before the event starts: the seat is free again at once, offered to the first
  fitting entry of the waiting line, else available (include/free-seats.lua). Only the user who reserved it may, or
  a manager of the event (ARGV[10], decided by the caller). A re-sent command finds the seat no longer reserved and
  changes nothing. Formats: include/seat-state.lua, include/free-seats.lua.

  KEYS[1..13], ARGV[1..7]  the freeing layout (include/free-seats.lua)
  ARGV[8]  seat id    ARGV[9]  the caller's userId    ARGV[10] 1 when the caller may cancel anyone's, else 0
  ARGV[11] the event's start (ms; empty: none)

  Returns: {1, offers, userId, reservedAt}   cancelled the reservation userId made at reservedAt (ms)
           {0}                               the seat is not reserved
           {-1}                              reserved by someone else, and the caller may not cancel it
           {-2}                              the event has started; nothing changed
]]
--!include seat-state
--!include seat-meta
--!include announce
--!include free-seats
local announce, free = seatFreeing()

local startsAt = tonumber(ARGV[11])
local kind, owner, time = seatState(redis.call('HGET', KEYS[1], ARGV[8]))
if kind ~= 'R' then
  return { 0 }
end
if owner ~= ARGV[9] and ARGV[10] ~= '1' then
  return { -1 }
end
if startsAt and tonumber(ARGV[1]) >= startsAt then
  return { -2 }
end
return { 1, free({ ARGV[8] }), owner, time }
