--[[
  Lists a stored endpoint (its hash written just before, in its own slot) unless its owner has as many as allowed.
  Safe twice: an endpoint already listed is answered as listed without counting it again.

  KEYS[1]  every endpoint (lex sorted set)   KEYS[2]  the owner's endpoints (lex sorted set)
  KEYS[3]  the endpoints' version (counter, bumped on every change)
  ARGV[1]  member "<createdAt, 15 digits>:<id>"   ARGV[2]  endpoints allowed per owner

  Returns: 1 listed, -1 the owner has ARGV[2] endpoints already
]]
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return 1
end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
  return -1
end
redis.call('ZADD', KEYS[1], 0, ARGV[1])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('INCR', KEYS[3])
return 1
