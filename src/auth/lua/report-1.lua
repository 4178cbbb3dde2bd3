--[[
  Records how many requests of one client one instance let through in a fixed window, and answers the total of all
  instances. Safe to deliver twice, or late: each instance's count only ever grows, so a repeated or older report
  changes nothing.

  KEYS[1]  hash of one client in one window: instance id -> that instance's count
  ARGV[1]  this instance's id
  ARGV[2]  this instance's count so far in the window
  ARGV[3]  ms until the hash may go (the window's end, plus a margin for clock skew)

  Returns: the count of all instances together
]]
local mine = tonumber(ARGV[2])
local known = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if mine > known then
  redis.call('HSET', KEYS[1], ARGV[1], mine)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
local total = 0
for _, count in ipairs(redis.call('HVALS', KEYS[1])) do
  total = total + tonumber(count)
end
return total
