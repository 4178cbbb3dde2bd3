--[[
  Stores a new booking unless the user already has an identical one (same type, title, start and end), found in
  O(1) through the fingerprint hash. A re-delivered command finds its own booking the same way.

  KEYS[1]  booking (JSON string)      KEYS[2]  the user's index of all bookings
  KEYS[3]  the user's index of this booking type      KEYS[4]  fingerprint -> booking id hash
  KEYS[5]  the user's outbox (stream; outbox/lua/include/outbox.lua: `booking.created`)
  ARGV[1]  booking id    ARGV[2]  booking JSON    ARGV[3]  index member "<start>:<id>"    ARGV[4]  fingerprint
  ARGV[5]  user id   ARGV[6]  now (ms)   ARGV[7]  the event's data (JSON)

  Returns: {1}               created
           {0, bookingId}    an identical booking exists already
]]
--!include outbox/outbox
local existing = redis.call('HGET', KEYS[4], ARGV[4])
if existing then
  return { 0, existing }
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[3])
redis.call('ZADD', KEYS[3], 0, ARGV[3])
redis.call('HSET', KEYS[4], ARGV[4], ARGV[1])
outboxAppend(KEYS[5], 'booking.created', ARGV[1], ARGV[6], ARGV[7], ARGV[5], '')
return { 1 }
