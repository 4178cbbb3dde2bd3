--[[
  Replaces a booking if it is still at the version the caller read (optimistic concurrency: of many concurrent
  edits from one version, exactly one wins). A re-delivered command finds its own result and answers success.

  KEYS[1]  booking (JSON string)   KEYS[2]  index of all   KEYS[3]  index of the old type   KEYS[4]  of the new type
  KEYS[5]  fingerprint -> booking id hash
  ARGV[1]  expected version   ARGV[2]  new JSON   ARGV[3]  old index member   ARGV[4]  new index member
  KEYS[6]  the user's outbox (stream; outbox/lua/include/outbox.lua: `booking.updated`)
  ARGV[5]  old fingerprint    ARGV[6]  new fingerprint   ARGV[7]  booking id
  ARGV[8]  user id   ARGV[9]  now (ms)   ARGV[10]  the event's data (JSON)

  Returns: {1}              updated
           {-1}             no such booking
           {-2, version}    the booking is at another version now
]]
--!include outbox/outbox
local current = redis.call('GET', KEYS[1])
if not current then
  return { -1 }
end
if current == ARGV[2] then
  return { 1 }
end
local version = cjson.decode(current).version
if tostring(version) ~= ARGV[1] then
  return { -2, version }
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[2], 0, ARGV[4])
redis.call('ZADD', KEYS[4], 0, ARGV[4])
if redis.call('HGET', KEYS[5], ARGV[5]) == ARGV[7] then
  redis.call('HDEL', KEYS[5], ARGV[5])
end
redis.call('HSETNX', KEYS[5], ARGV[6], ARGV[7])
outboxAppend(KEYS[6], 'booking.updated', ARGV[7] .. '/' .. ARGV[1], ARGV[9], ARGV[10], ARGV[8], '')
return { 1 }
