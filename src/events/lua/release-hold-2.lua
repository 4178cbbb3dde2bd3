--[[
  Ends the caller's live hold on a seat; the seat is available again at once.

  KEYS[1]  seat-state hash of the event
  KEYS[2]  live holds of this user in the event
  ARGV[1]  seat id    ARGV[2]  userId    ARGV[3]  now (ms)    ARGV[4]  pub/sub channel
  ARGV[5]  event id   ARGV[6]  now as ISO text

  Returns: 1 released, 0 the user holds no live hold on it
]]
local kind, holder, time = string.match(redis.call('HGET', KEYS[1], ARGV[1]) or '', '^(%a)|([^|]+)|(%d+)$')
if kind ~= 'H' or holder ~= ARGV[2] or tonumber(time) <= tonumber(ARGV[3]) then
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[4], cjson.encode({ eventId = ARGV[5], seatId = ARGV[1], status = 'available', at = ARGV[6] }))
return 1
