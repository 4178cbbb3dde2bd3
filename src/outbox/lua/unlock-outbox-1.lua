--[[
  Ends a relay's lease on an outbox stream, if it is still that relay's (a lease that ran out may be another's now).

  KEYS[1]  the stream's relay lock   ARGV[1]  the token the relay took it with

  Returns: 1 released, 0 not held by this token
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
