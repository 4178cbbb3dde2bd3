--[[
  Moves a live reservation to a new time, party size and/or table in one step: the new table and time are taken
  and the old ones released together, or nothing changes. The reservation's own current sitting does not block it,
  and its current table is kept when it is a free candidate (so a re-delivered move changes nothing more). With a
  cap, its customer may have at most that many live reservations in [dayStart, dayEnd), this one included.

  Formats: include/sitting.lua. A move appends `restaurant-reservation.moved` to the restaurant's outbox
  (outbox/outbox.lua, include/reservation-event.lua).

  KEYS[1]  live sittings   KEYS[2]  the reservation (hash)   KEYS[3]  all reservations   KEYS[4]  tables
  KEYS[5]  its customer's live reservations (sorted set id -> start)
  KEYS[6]  the restaurant's outbox (stream)   KEYS[7]  the restaurant (hash: id, name, managerId, timezone)
  ARGV[1]  reservationId   ARGV[2]  new start   ARGV[3]  new end   ARGV[4]  partySize   ARGV[5]  now
  ARGV[6]  sitting length ms   ARGV[7]  the version the caller read (its change was computed from it)
  ARGV[8]  dayStart   ARGV[9]  dayEnd   ARGV[10]  most live reservations of the customer that day (0: no cap)
  ARGV[11..] candidate table ids, in order of preference

  A move to what it already is (same table, start, end and party size: an empty PATCH, or a move re-sent after it
  was applied, which the caller re-reads and re-applies) changes nothing: no new version, no event.

  Returns: {1, tableId} moved    {2} nothing to change    {-1} no such reservation    {-2} it is cancelled    {-3} no candidate is free
           {-4} it changed since the caller read it (read again and reapply)
           {-5} its customer has ARGV[10] other live reservations that day already
]]
--!include sitting
--!include outbox/outbox
--!include reservation-event
local r = redis.call('HMGET', KEYS[2], 'status', 'tableId', 'version', 'start', 'end', 'partySize')
if not r[1] then
  return { -1 }
end
if r[1] ~= 'booked' then
  return { -2 }
end
if r[3] ~= ARGV[7] then
  return { -4 }
end
local cap = tonumber(ARGV[10])
if cap > 0 then
  local others = redis.call('ZCOUNT', KEYS[5], ARGV[8], '(' .. ARGV[9])
  local at = tonumber(redis.call('ZSCORE', KEYS[5], ARGV[1]))
  if at and at >= tonumber(ARGV[8]) and at < tonumber(ARGV[9]) then
    others = others - 1
  end
  if others >= cap then
    return { -5 }
  end
end
local own = sittingMember(r[2], ARGV[1])
local start, finish = tonumber(ARGV[2]), tonumber(ARGV[3])
local busy = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (start - tonumber(ARGV[6])), '(' .. finish)) do
  if member ~= own then
    busy[sittingTable(member)] = true
  end
end
local chosen
for i = 11, #ARGV do
  local tableId = ARGV[i]
  if not busy[tableId] and redis.call('HEXISTS', KEYS[4], tableId) == 1 then
    if tableId == r[2] then
      chosen = tableId
      break
    end
    chosen = chosen or tableId
  end
end
if not chosen then
  return { -3 }
end
if chosen == r[2] and tonumber(r[4]) == start and tonumber(r[5]) == finish and tonumber(r[6]) == tonumber(ARGV[4]) then
  return { 2 }
end
-- The HSET comes first on purpose: Redis refuses a script out of memory only at its first write, and only when that
-- write adds data; a ZREM first would let the whole move run with memory full.
redis.call('HSET', KEYS[2], 'tableId', chosen, 'start', ARGV[2], 'end', ARGV[3], 'partySize', ARGV[4], 'updatedAt', ARGV[5])
redis.call('HINCRBY', KEYS[2], 'version', 1)
redis.call('ZREM', KEYS[1], own)
redis.call('ZADD', KEYS[1], start, sittingMember(chosen, ARGV[1]))
redis.call('ZADD', KEYS[3], start, ARGV[1])
redis.call('ZADD', KEYS[5], start, ARGV[1])
local data, user, manager = reservationEventData(KEYS[2], KEYS[7])
outboxAppend(KEYS[6], 'restaurant-reservation.moved', ARGV[1] .. '/v' .. ARGV[7], ARGV[5], data, user, manager)
return { 1, chosen }
