--[[
  Records one delivery attempt to an endpoint: the delivery (created at its first attempt, listed newest first, the
  oldest beyond ARGV[9] dropped from the list) and the endpoint's failure streak. An endpoint whose attempts have all
  failed for ARGV[8] ms is disabled here, in the same step, so exactly one attempt disables it (its caller then tells
  the owner).

  KEYS[1]  the endpoint (hash)   KEYS[2]  the delivery (hash)   KEYS[3]  the endpoint's deliveries (lex sorted set)
  ARGV[1]  delivery id (the event id)   ARGV[2]  event type   ARGV[3]  the event (JSON, for redelivery)
  ARGV[4]  now (ms)   ARGV[5]  status: succeeded | retrying | failed   ARGV[6]  HTTP status ('' none)
  ARGV[7]  error ('' none)   ARGV[8]  failing this long disables the endpoint (ms)   ARGV[9]  deliveries kept
  ARGV[10]  list member "<now, 15 digits>:<id>"   ARGV[11]  a delivery's lifetime (ms)

  Returns: 1 recorded, 2 recorded and the endpoint disabled now, -1 no such endpoint
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local now = tonumber(ARGV[4])
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('HSET', KEYS[2], 'id', ARGV[1], 'type', ARGV[2], 'event', ARGV[3], 'createdAt', ARGV[4], 'attempts', 0,
    'redeliveries', 0)
  redis.call('ZADD', KEYS[3], 0, ARGV[10])
  local extra = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[9])
  if extra > 0 then
    redis.call('ZREMRANGEBYRANK', KEYS[3], 0, extra - 1)
  end
end
redis.call('HINCRBY', KEYS[2], 'attempts', 1)
redis.call('HSET', KEYS[2], 'status', ARGV[5], 'lastStatusCode', ARGV[6], 'lastError', ARGV[7], 'lastAttemptAt', ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[11])
if ARGV[5] == 'succeeded' then
  redis.call('HDEL', KEYS[1], 'failingSince')
  return 1
end
local since = tonumber(redis.call('HGET', KEYS[1], 'failingSince'))
if not since then
  redis.call('HSET', KEYS[1], 'failingSince', ARGV[4])
  return 1
end
if now - since >= tonumber(ARGV[8]) and redis.call('HGET', KEYS[1], 'enabled') == '1' then
  redis.call('HSET', KEYS[1], 'enabled', '0', 'disabledReason', 'failing', 'updatedAt', ARGV[4])
  return 2
end
return 1
