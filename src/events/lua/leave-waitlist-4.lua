--[[
  Takes a user out of an event's waiting line. Formats: the line entry of include/free-seats.lua.

  KEYS[1] the line   KEYS[2] line entries   KEYS[3] line users   KEYS[4] per-quantity line prefix
  ARGV[1] userId

  Returns: 1 left the line, 0 was not in it
]]
--!include free-seats
local entryId = redis.call('HGET', KEYS[3], ARGV[1])
if not entryId then
  return 0
end
local _, quantity, category = lineEntry(redis.call('HGET', KEYS[2], entryId))
redis.call('ZREM', KEYS[1], entryId)
if quantity then
  redis.call('ZREM', KEYS[4] .. quantity .. ':' .. category, entryId)
end
redis.call('HDEL', KEYS[2], entryId)
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
