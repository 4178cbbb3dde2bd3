--[[
  Puts a user in an event's waiting line for `quantity` seats of a category (or of the whole event), only while fewer
  are free, and answers their place. One entry per user and event; a re-sent command (same entry id) answers the
  place again. Formats: the line entry of include/free-seats.lua (not included: this script only writes it).

  KEYS[1] the line (entryId -> place)   KEYS[2] line entries   KEYS[3] line users (userId -> entryId)
  KEYS[4] per-quantity line prefix (+ "<quantity>:<categoryId>")   KEYS[5] categories   KEYS[6] free-set prefix
  ARGV[1] entry id   ARGV[2] userId   ARGV[3] quantity   ARGV[4] categoryId (empty: any)   ARGV[5] now (ms)
  KEYS[7] the user's live holds in the event (offers are holds too)
  ARGV[6] the event's start (ms; empty: none)   ARGV[7] most seats one user may hold (MAX_HOLDS_PER_USER)

  Returns: {1, place}         in line, `place` 1 for the first
           {-1, free}         `free` seats are free, at least `quantity`: hold them instead
           {-2, place}        the user is in this line already (place of that entry)
           {-3}               no such category
           {-4}               the event has started
           {-5, live}         the user holds `live` seats: with `quantity` more they would hold more than ARGV[7]
                              (an offer never takes a user past the hold limit, so such an entry could never be served)
]]
local entryId, userId, quantity, category = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local startsAt = tonumber(ARGV[6])
local current = redis.call('HGET', KEYS[3], userId)
if current then
  local rank = redis.call('ZRANK', KEYS[1], current)
  if not rank then
    -- A user's entry that is no longer in the line (an unreadable entry the freeing include dropped): forgotten.
    redis.call('HDEL', KEYS[3], userId)
  elseif current == entryId then
    return { 1, rank + 1 }
  else
    return { -2, rank + 1 }
  end
end
if startsAt and tonumber(ARGV[5]) >= startsAt then
  return { -4 }
end
local live = redis.call('ZCOUNT', KEYS[7], '(' .. ARGV[5], '+inf')
if live + quantity > tonumber(ARGV[7]) then
  return { -5, live }
end
local categories = { category }
if category == '' then
  categories = redis.call('HKEYS', KEYS[5])
elseif redis.call('HEXISTS', KEYS[5], category) == 0 then
  return { -3 }
end
local free = 0
for _, c in ipairs(categories) do
  free = free + redis.call('ZCARD', KEYS[6] .. c)
end
if free >= quantity then
  return { -1, free }
end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local place = tonumber(last[2] or 0) + 1
redis.call('ZADD', KEYS[1], place, entryId)
redis.call('ZADD', KEYS[4] .. quantity .. ':' .. category, place, entryId)
redis.call('HSET', KEYS[2], entryId, userId .. '|' .. quantity .. '|' .. category .. '|' .. ARGV[5])
redis.call('HSET', KEYS[3], userId, entryId)
return { 1, redis.call('ZCARD', KEYS[1]) }
