--[[
  Deletes a booking, optionally only at an expected version (If-Match on DELETE).

  KEYS[1]  booking (JSON string)   KEYS[2]  index of all   KEYS[3]  index of its type   KEYS[4]  fingerprints
  ARGV[1]  expected version, or "" for any    ARGV[2]  index member    ARGV[3]  fingerprint    ARGV[4]  booking id

  Returns: {1, json}        deleted (the booking as it was)
           {-1}             no such booking
           {-2, version}    the booking is at another version now
]]
local current = redis.call('GET', KEYS[1])
if not current then
  return { -1 }
end
local version = cjson.decode(current).version
if ARGV[1] ~= '' and tostring(version) ~= ARGV[1] then
  return { -2, version }
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
if redis.call('HGET', KEYS[4], ARGV[3]) == ARGV[4] then
  redis.call('HDEL', KEYS[4], ARGV[3])
end
return { 1, current }
