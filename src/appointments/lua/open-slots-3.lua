--[[
  Lists the slots of a provider a client can reserve: in the time range, and neither confirmed nor held by a live
  pending reservation. Read only.

  Formats: include/slot-formats.lua.

  KEYS[1]  slots by start      KEYS[2]  slot times      KEYS[3]  slot state (slotId -> "P|client|expiresAt|appt" or "C|client|appt")
  ARGV[1]  earliest start (ms, inclusive)    ARGV[2]  latest start (ms, exclusive)    ARGV[3]  now (ms)

  Returns: flat list slotId, "start|end", slotId, "start|end", ... ordered by start
]]
--!include slot-formats
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '(' .. ARGV[2])
local now = tonumber(ARGV[3])
local out = {}
for _, slotId in ipairs(ids) do
  local state = redis.call('HGET', KEYS[3], slotId)
  local open = true
  if state then
    local kind, _, expiresAt = slotState(state)
    open = kind == 'P' and expiresAt <= now
  end
  if open then
    out[#out + 1] = slotId
    out[#out + 1] = redis.call('HGET', KEYS[2], slotId)
  end
end
return out
