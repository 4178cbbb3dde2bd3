--[[
  Puts a notification in a user's inbox, once: a second add with the same id (a retried or duplicated reminder
  job) changes nothing and answers 0. The same add re-sent after a lost reply (ioredis does, after a reconnect)
  carries the same token and answers 1, as its first delivery did: the caller's live push keys off the answer.
  With an event type, the add also appends that event (e.g. `reminder.due`) to the user's outbox, once, in the same
  step (outbox/outbox.lua).

  KEYS[1]  the notification (hash)   KEYS[2]  the inbox (lex sorted set)   KEYS[3]  unread ids (set)
  KEYS[4]  the user's outbox (stream)
  ARGV[1]  notification id   ARGV[2]  inbox member "<createdAt, 15 digits>:<id>"   ARGV[3]  type   ARGV[4]  title
  ARGV[5]  data (JSON)   ARGV[6]  createdAt (ms)   ARGV[7]  a token unique to this add (stored as addedBy)
  ARGV[8]  the outbox event's type ('' none)   ARGV[9]  its data (JSON)   ARGV[10]  the user id

  Returns: 1 added (now or by this same command before), 0 it was there already
]]
--!include outbox/outbox
if redis.call('HGET', KEYS[1], 'addedBy') == ARGV[7] then
  return 1
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'type', ARGV[3], 'title', ARGV[4], 'data', ARGV[5], 'createdAt', ARGV[6],
  'addedBy', ARGV[7])
redis.call('ZADD', KEYS[2], 0, ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
if ARGV[8] ~= '' then
  outboxAppend(KEYS[4], ARGV[8], ARGV[1], ARGV[6], ARGV[9], ARGV[10], '')
end
return 1
