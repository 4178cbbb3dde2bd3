--[[
  Makes holds that ran out available again and announces it, so live seat maps learn of expiries that no request
  caused. Run by every instance's sweeper; safe to run concurrently and twice (a seat is only freed while its state
  is still that expired hold). Formats: include/seat-state.lua; changes are announced by include/announce.lua.

  KEYS[1]  seat-state hash   KEYS[2]  hold expiries (seatId -> expiresAt)
  KEYS[3]  change counter    KEYS[4]  change log (stream)
  ARGV[1]  now (ms)   ARGV[2]  pub/sub channel   ARGV[3]  event id   ARGV[4]  now as ISO text   ARGV[5]  most seats per run

  Returns: the next expiry still pending in this event (ms), or -1 when none is
]]
--!include seat-state
--!include announce
local announce = seatChanges(KEYS[3], KEYS[4], ARGV[2], ARGV[3], ARGV[4])

local now = tonumber(ARGV[1])
for _, seatId in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))) do
  local kind, _, time = seatState(redis.call('HGET', KEYS[1], seatId))
  if kind == 'H' and tonumber(time) <= now then
    redis.call('HDEL', KEYS[1], seatId)
    announce(seatId, 'available')
  end
  redis.call('ZREM', KEYS[2], seatId)
end
local next = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if next[2] then
  return tonumber(next[2])
end
return -1
