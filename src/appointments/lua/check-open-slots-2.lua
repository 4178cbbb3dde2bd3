--[[
  Which of a provider's slots are open now: the slot exists, and no confirmed or live pending reservation holds it.
  Read only. Used to check entries of the open-slots index ({slots}:open, another hash slot) against the schedule.

  Formats: include/slot-formats.lua.

  KEYS[1]  slot times (hash slotId -> "start|end")   KEYS[2]  slot state
  ARGV[1]  now (ms)   ARGV[2..]  slot ids

  Returns: one element per slot id, in order: its "start|end" when it is open, false (nil) otherwise
]]
--!include slot-formats
local now = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV do
  local times = redis.call('HGET', KEYS[1], ARGV[i])
  if times then
    local state = redis.call('HGET', KEYS[2], ARGV[i])
    if state then
      local kind, _, expiresAt = slotState(state)
      if not (kind == 'P' and expiresAt <= now) then
        times = false
      end
    end
  end
  out[i - 1] = times
end
return out
