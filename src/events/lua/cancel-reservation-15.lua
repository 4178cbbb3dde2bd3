--[[
  Cancels the reservation of one seat before the event starts: the seat is free again at once, offered to the first
  fitting entry of the waiting line, else available (include/free-seats.lua). Only the user who reserved it may, or
  a manager of the event (ARGV[11], decided by the caller). A re-sent command finds the seat no longer reserved and
  changes nothing. Formats: include/seat-state.lua, include/free-seats.lua; the cancellation is a
  `seat.reservation-cancelled` event in the outbox (outbox/outbox.lua).

  KEYS[1..15], ARGV[1..8]  the freeing layout (include/free-seats.lua)
  ARGV[9]  seat id    ARGV[10]  the caller's userId    ARGV[11] 1 when the caller may cancel anyone's, else 0
  ARGV[12] the event's start (ms; empty: none)

  Returns: {1, offers, userId, reservedAt}   cancelled the reservation userId made at reservedAt (ms)
           {0}                               the seat is not reserved
           {-1}                              reserved by someone else, and the caller may not cancel it
           {-2}                              the event has started; nothing changed
]]
--!include seat-state
--!include seat-meta
--!include announce
--!include outbox/outbox
--!include free-seats
local announce, free = seatFreeing()

local startsAt = tonumber(ARGV[12])
local kind, owner, time = seatState(redis.call('HGET', KEYS[1], ARGV[9]))
if kind ~= 'R' then
  return { 0 }
end
if owner ~= ARGV[10] and ARGV[11] ~= '1' then
  return { -1 }
end
if startsAt and tonumber(ARGV[1]) >= startsAt then
  return { -2 }
end
outboxAppend(KEYS[14], 'seat.reservation-cancelled', ARGV[3] .. '/' .. ARGV[9] .. '/' .. time, ARGV[1],
  cjson.encode({ eventId = ARGV[3], seatId = ARGV[9], userId = owner, reservedAt = outboxTime(time),
    cancelledBy = ARGV[10] }), owner, redis.call('HGET', KEYS[15], 'createdBy'))
return { 1, free({ ARGV[9] }, nil, owner), owner, time }
