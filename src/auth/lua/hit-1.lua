--[[
  Counts one attempt in a fixed window.

  KEYS[1]  the counter of one client in one bucket
  ARGV[1]  window length in ms

  Returns: {attempts in this window, ms until the window ends}
]]
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return { count, redis.call('PTTL', KEYS[1]) }
