--[[
  Logs a family out, but only when the presented token is its current one (so a random string cannot end
  someone's session).

  KEYS[1]  refresh family hash
  ARGV[1]  hash of the presented token

  Returns: 1 revoked, 0 nothing to do
]]
if redis.call('HGET', KEYS[1], 'current') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'revoked', '1')
return 1
