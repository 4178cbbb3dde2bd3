--[[
  Frees holds that ran out and announces it, so live seat maps learn of expiries that no request caused; a lapsed
  seat (also a lapsed offer) goes to the first fitting entry of the waiting line first (include/free-seats.lua). Run
  by every instance's sweeper; safe to run concurrently and twice (a seat is only freed while its state is still
  that expired hold). Formats: include/seat-state.lua, include/free-seats.lua.

  KEYS[1..15], ARGV[1..8]  the freeing layout (include/free-seats.lua)
  ARGV[9]  most seats per run

  Returns: {next, offers}   next: the next expiry still pending in this event (ms), or -1 when none is
]]
--!include seat-state
--!include seat-meta
--!include announce
--!include outbox/outbox
--!include free-seats
local announce, free = seatFreeing()

local now = tonumber(ARGV[1])
local lapsed, holds = {}, {}
for _, seatId in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, tonumber(ARGV[9]))) do
  local kind, holder, time = seatState(redis.call('HGET', KEYS[1], seatId))
  if kind == 'H' and tonumber(time) <= now then
    lapsed[#lapsed + 1] = seatId
    holds[seatId] = { holder, time }
  else
    redis.call('ZREM', KEYS[4], seatId)
  end
end
local offers = free(lapsed, holds)
local next = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
return { tonumber(next[2] or -1), offers }
