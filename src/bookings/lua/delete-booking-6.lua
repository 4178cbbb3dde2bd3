--[[
  Deletes a booking at the version the caller read, so the indexes and the fingerprint it removes are the stored
  booking's own (a concurrent edit makes this answer "stale" instead of leaving index entries behind). A short-lived
  tombstone lets a re-delivered delete answer "deleted" again instead of "missing".

  KEYS[1]  booking (JSON string)   KEYS[2]  index of all   KEYS[3]  index of its type   KEYS[4]  fingerprints
  KEYS[5]  tombstone of this booking
  ARGV[1]  expected version    ARGV[2]  index member    ARGV[3]  fingerprint    ARGV[4]  booking id
  ARGV[5]  tombstone lifetime in ms
  KEYS[6]  the user's outbox (stream; outbox/lua/include/outbox.lua: `booking.deleted`)
  ARGV[6]  user id   ARGV[7]  now (ms)   ARGV[8]  the event's data (JSON)

  Returns: {1}              deleted (now, or by this same command before)
           {-1}             no such booking
           {-2, version}    the booking is at another version now
]]
--!include outbox/outbox
local current = redis.call('GET', KEYS[1])
if not current then
  if redis.call('GET', KEYS[5]) == ARGV[1] then
    return { 1 }
  end
  return { -1 }
end
local version = cjson.decode(current).version
if tostring(version) ~= ARGV[1] then
  return { -2, version }
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
if redis.call('HGET', KEYS[4], ARGV[3]) == ARGV[4] then
  redis.call('HDEL', KEYS[4], ARGV[3])
end
redis.call('SET', KEYS[5], ARGV[1], 'PX', ARGV[5])
outboxAppend(KEYS[6], 'booking.deleted', ARGV[4], ARGV[7], ARGV[8], ARGV[6], '')
return { 1 }
