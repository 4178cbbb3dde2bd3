--[[
  Makes holds that ran out available again and announces it, so live seat maps learn of expiries that no request
  caused. Run by every instance's sweeper; safe to run concurrently and twice (a seat is only freed while its state
  is still that expired hold). Formats: include/seat-state.lua; changes are announced by include/announce.lua; each
  freed seat is a `hold.expired` event in the outbox (outbox/outbox.lua).

  KEYS[1]  seat-state hash   KEYS[2]  hold expiries (seatId -> expiresAt)
  KEYS[3]  change counter    KEYS[4]  change log (stream)
  KEYS[5]  the event's outbox (stream; outbox/lua/include/outbox.lua)   KEYS[6]  the event (hash: createdBy)
  ARGV[1]  now (ms)   ARGV[2]  pub/sub channel   ARGV[3]  event id   ARGV[4]  now as ISO text   ARGV[5]  most seats per run

  Returns: the next expiry still pending in this event (ms), or -1 when none is
]]
--!include seat-state
--!include announce
--!include outbox/outbox
local announce = seatChanges(KEYS[3], KEYS[4], ARGV[2], ARGV[3], ARGV[4])

local now = tonumber(ARGV[1])
for _, seatId in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))) do
  local kind, holder, time = seatState(redis.call('HGET', KEYS[1], seatId))
  if kind == 'H' and tonumber(time) <= now then
    redis.call('HDEL', KEYS[1], seatId)
    announce(seatId, 'available')
    outboxAppend(KEYS[5], 'hold.expired', ARGV[3] .. '/' .. seatId .. '/' .. time, ARGV[1],
      cjson.encode({ eventId = ARGV[3], seatId = seatId, userId = holder }), holder, redis.call('HGET', KEYS[6], 'createdBy'))
  end
  redis.call('ZREM', KEYS[2], seatId)
end
local next = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if next[2] then
  return tonumber(next[2])
end
return -1
