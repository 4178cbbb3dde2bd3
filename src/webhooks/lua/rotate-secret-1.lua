--[[
  Replaces an endpoint's signing secret; the current one keeps signing beside it until ARGV[3] (a rotation during
  another's grace drops the oldest: at most two secrets are ever valid). A re-sent rotation (same new secret) changes
  nothing more.

  KEYS[1]  the endpoint (hash)
  ARGV[1]  the new secret   ARGV[2]  now (ms)   ARGV[3]  until when the current secret still signs (ms)

  Returns: 1 rotated, -1 no such endpoint
]]
local current = redis.call('HGET', KEYS[1], 'secret')
if not current then
  return -1
end
if current == ARGV[1] then
  return 1
end
redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'previousSecret', current, 'previousSecretUntil', ARGV[3],
  'updatedAt', ARGV[2])
return 1
