--[[
  Records one delivery attempt to an endpoint, or a delivery ended without one (ARGV[12] = 0: the endpoint was
  disabled meanwhile, or the delivery was given up): the delivery (created at its first record, listed newest first;
  the oldest beyond ARGV[9] drop off the list and their hashes are deleted with them) and, for an attempt, the
  endpoint's failure streak. An endpoint whose attempts have all failed for ARGV[8] ms is disabled here, in the same
  step, so exactly one attempt disables it (its caller then tells the owner); that attempt's delivery is failed.
  A dropped delivery's hash is KEYS[2] with its own id in place of ARGV[1] (same slot: the endpoint's).

  KEYS[1]  the endpoint (hash)   KEYS[2]  the delivery (hash)   KEYS[3]  the endpoint's deliveries (lex sorted set)
  ARGV[1]  delivery id (the event id)   ARGV[2]  event type   ARGV[3]  the event (JSON, for redelivery)
  ARGV[4]  now (ms)   ARGV[5]  status: succeeded | retrying | failed   ARGV[6]  HTTP status ('' none)
  ARGV[7]  error ('' none)   ARGV[8]  failing this long disables the endpoint (ms)   ARGV[9]  deliveries kept
  ARGV[10]  list member "<now, 15 digits>:<id>"   ARGV[11]  a delivery's lifetime (ms)   ARGV[12]  1 attempted, 0 not
  ARGV[13]  the attempt's token (its job and try): a record re-sent after a lost reply (or a stalled try run again)
            is not counted twice; the rest of the record is written again, which changes nothing more

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
    local base = string.sub(KEYS[2], 1, #KEYS[2] - #ARGV[1])
    for _, member in ipairs(redis.call('ZRANGE', KEYS[3], 0, extra - 1)) do
      redis.call('DEL', base .. string.sub(member, string.find(member, ':', 1, true) + 1))
    end
    redis.call('ZREMRANGEBYRANK', KEYS[3], 0, extra - 1)
  end
end
redis.call('PEXPIRE', KEYS[2], ARGV[11])
if ARGV[12] == '0' then
  redis.call('HSET', KEYS[2], 'status', ARGV[5], 'lastError', ARGV[7])
  return 1
end
if redis.call('HGET', KEYS[2], 'lastToken') ~= ARGV[13] then
  redis.call('HINCRBY', KEYS[2], 'attempts', 1)
end
redis.call('HSET', KEYS[2], 'status', ARGV[5], 'lastStatusCode', ARGV[6], 'lastError', ARGV[7], 'lastAttemptAt', ARGV[4],
  'lastToken', ARGV[13])
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
  redis.call('HSET', KEYS[2], 'status', 'failed')
  return 2
end
return 1
