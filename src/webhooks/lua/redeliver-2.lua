--[[
  Queues a delivery again (POST .../redeliver): counts the redelivery, which names its job, and marks it pending.

  KEYS[1]  the endpoint (hash)   KEYS[2]  the delivery (hash)

  Returns: {1, redeliveries, event JSON}   {-1} no such delivery (or endpoint)   {-2} the endpoint is disabled
           {-3} the delivery is pending or retrying (its job is still under way; a second job would race it)
]]
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then
  return { -1 }
end
if redis.call('HGET', KEYS[1], 'enabled') ~= '1' then
  return { -2 }
end
local status = redis.call('HGET', KEYS[2], 'status')
if status == 'pending' or status == 'retrying' then
  return { -3 }
end
local n = redis.call('HINCRBY', KEYS[2], 'redeliveries', 1)
redis.call('HSET', KEYS[2], 'status', 'pending')
return { 1, n, redis.call('HGET', KEYS[2], 'event') }
