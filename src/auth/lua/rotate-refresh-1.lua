--[[
  Rotates a refresh-token family: the presented token must be the current one.

  KEYS[1]  refresh family hash {userId, current, previous, revoked}
  ARGV[1]  hash of the presented token
  ARGV[2]  hash of the token that replaces it
  ARGV[3]  family lifetime in seconds (sliding)

  Returns: {1, userId} rotated (or the same rotation applied again)
           {-1} no such family (unknown or expired)
           {-2} family already revoked
           {-3} token reuse detected: the family is revoked now
]]
local state = redis.call('HMGET', KEYS[1], 'userId', 'current', 'previous', 'revoked')
local userId, current, previous, revoked = state[1], state[2], state[3], state[4]
if not userId then
  return {-1}
end
if revoked == '1' then
  return {-2}
end
if current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'current', ARGV[2], 'previous', ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return {1, userId}
end
-- The same command delivered twice: it already moved current to ARGV[2].
if previous == ARGV[1] and current == ARGV[2] then
  return {1, userId}
end
redis.call('HSET', KEYS[1], 'revoked', '1')
return {-3}
