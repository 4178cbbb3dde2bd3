--[[
  Changes an endpoint's settings, if it exists. Enabling it again (enabled = 1) also forgets why it was disabled,
  since when it was failing and that its owner was told, so it gets a fresh day before it can be disabled again.
  Safe twice.

  KEYS[1]  the endpoint (hash)
  ARGV[1]  now (ms)   ARGV[2..] field, value pairs (url, events, description, enabled, disabledReason)

  Returns: 1 changed, -1 no such endpoint
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1], unpack(ARGV, 2))
if redis.call('HGET', KEYS[1], 'enabled') == '1' then
  redis.call('HDEL', KEYS[1], 'failingSince', 'disabledReason', 'ownerToldAt')
end
return 1
