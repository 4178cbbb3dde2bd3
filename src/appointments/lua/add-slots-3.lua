--[[
  Opens slots on a provider's schedule. A slot whose start time already exists is not added again, so overlapping
  windows (or a repeated submission) never duplicate slots.

  Formats: include/slot-formats.lua.

  KEYS[1]  slots by start (sorted set slotId -> start ms)
  KEYS[2]  slot times (hash slotId -> "start|end")
  KEYS[3]  slot per start time (hash start -> slotId)
  ARGV     triples: slotId, start ms, end ms

  Returns: for each triple, in order, the id of the slot at that start (the new one or the one already there),
           followed by the number of slots created: {id1, id2, ..., created}
]]
--!include slot-formats
local ids, created = {}, 0
for i = 1, #ARGV, 3 do
  local slotId, start, finish = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local existing = redis.call('HGET', KEYS[3], start)
  if existing then
    ids[#ids + 1] = existing
  else
    redis.call('ZADD', KEYS[1], start, slotId)
    redis.call('HSET', KEYS[2], slotId, encodeSlotTimes(start, finish))
    redis.call('HSET', KEYS[3], start, slotId)
    ids[#ids + 1] = slotId
    created = created + 1
  end
end
ids[#ids + 1] = created
return ids
