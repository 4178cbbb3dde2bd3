--[[
  Logs a family out, but only when the presented token is its current one or the one its last rotation spent (so a
  random string cannot end someone's session). The previous token counts: a client whose refresh answer was lost
  still holds it, and during the reuse grace it could still be rotated, so a logout with it must end the family.

  KEYS[1]  refresh family hash
  ARGV[1]  hash of the presented token

  Returns: 1 revoked, 0 nothing to do
]]
local state = redis.call('HMGET', KEYS[1], 'current', 'previous')
if state[1] ~= ARGV[1] and state[2] ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'revoked', '1')
return 1
