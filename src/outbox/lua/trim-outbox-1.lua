--[[
  Removes outbox entries the relay handed over to delivery jobs; deletes the stream once it is empty, so idle
  aggregates keep no key. Safe twice (XDEL of a removed id does nothing).

  KEYS[1]  the outbox stream
  ARGV[1..] stream entry ids handed over

  Returns: the entries left in the stream (appended since the relay read it)
]]
redis.call('XDEL', KEYS[1], unpack(ARGV))
local left = redis.call('XLEN', KEYS[1])
if left == 0 then
  redis.call('DEL', KEYS[1])
end
return left
