--[[
  Replaces an endpoint's signing secret; the current one keeps signing beside it until ARGV[3]. A rotation during
  another's grace keeps the oldest secret (the one receivers verified with before the first rotation) until its own
  deadline and replaces only the newer one: a rotation retried after its answer was lost must not cut off the secret
  the receiver still checks. At most two secrets are ever valid. A re-sent rotation (same new secret) changes nothing.

  KEYS[1]  the endpoint (hash)
  ARGV[1]  the new secret   ARGV[2]  now (ms)   ARGV[3]  until when the current secret still signs (ms)

  Returns: {1, until when the previous secret signs (ms)}   {-1} no such endpoint
]]
local current = redis.call('HGET', KEYS[1], 'secret')
if not current then
  return { -1 }
end
local previousUntil = tonumber(redis.call('HGET', KEYS[1], 'previousSecretUntil'))
local inGrace = previousUntil and previousUntil > tonumber(ARGV[2]) and redis.call('HEXISTS', KEYS[1], 'previousSecret') == 1
if current == ARGV[1] then
  return { 1, previousUntil or 0 }
end
if inGrace then
  redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'updatedAt', ARGV[2])
  return { 1, previousUntil }
end
redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'previousSecret', current, 'previousSecretUntil', ARGV[3],
  'updatedAt', ARGV[2])
return { 1, tonumber(ARGV[3]) }
