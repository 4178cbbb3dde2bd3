--[[
  Adds what one instance counted since its last sync to a client's count in a fixed window.

  KEYS[1]  the counter of one client in one window
  ARGV[1]  how many requests to add
  ARGV[2]  ms until the counter may go (the window's end, plus a margin for clock skew)

  Returns: the count of all instances together
]]
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return count
