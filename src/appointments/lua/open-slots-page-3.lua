--[[
  The first open slots of a provider starting in [from, to), by start: like open-slots-3.lua, but at most ARGV[4] of
  them, so that a page over several providers reads a bounded answer from each. Read only.

  Formats: include/slot-formats.lua.

  KEYS[1]  slots by start   KEYS[2]  slot times   KEYS[3]  slot state
  ARGV[1]  earliest start (ms, inclusive)   ARGV[2]  latest start (ms, exclusive)   ARGV[3]  now (ms)
  ARGV[4]  how many at most

  Returns: flat list slotId, "start|end", slotId, "start|end", ... ordered by start
]]
--!include slot-formats
local now, want = tonumber(ARGV[3]), tonumber(ARGV[4])
local chunk = math.max(want, 16)
local out, offset = {}, 0
while #out < 2 * want do
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '(' .. ARGV[2], 'LIMIT', offset, chunk)
  for _, slotId in ipairs(ids) do
    local state = redis.call('HGET', KEYS[3], slotId)
    local open = true
    if state then
      local kind, _, expiresAt = slotState(state)
      open = kind == 'P' and expiresAt <= now
    end
    if open and #out < 2 * want then
      out[#out + 1] = slotId
      out[#out + 1] = redis.call('HGET', KEYS[2], slotId)
    end
  end
  if #ids < chunk then
    break
  end
  offset = offset + chunk
end
return out
