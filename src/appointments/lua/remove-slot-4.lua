--[[
  Removes an open slot from a provider's schedule. A slot held by a live pending appointment, or confirmed, stays.

  Formats: include/slot-formats.lua.

  KEYS[1]  slots by start   KEYS[2]  slot times   KEYS[3]  slot per start time   KEYS[4]  slot state
  ARGV[1]  slotId    ARGV[2]  now

  Returns: {1, "start|end"} removed (its times: the caller takes it out of the open-slots index), {0} no such slot,
           {-1} it has a live reservation
]]
--!include slot-formats
local times = redis.call('HGET', KEYS[2], ARGV[1])
if not times then
  return { 0 }
end
local state = redis.call('HGET', KEYS[4], ARGV[1])
if state then
  local kind, _, expiresAt = slotState(state)
  -- A state that cannot be read counts as reserved: never remove what might be someone's.
  if kind ~= 'P' or expiresAt > tonumber(ARGV[2]) then
    return { -1 }
  end
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], (slotTimes(times)))
redis.call('HDEL', KEYS[4], ARGV[1])
return { 1, times }
