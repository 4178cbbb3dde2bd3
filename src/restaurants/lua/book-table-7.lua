--[[
  Books the first free table of the candidates for [start, end): a table is free when none of its live sittings
  overlaps. Exactly one of many concurrent bookings of the last free table wins. A re-delivered command finds its
  reservation and answers with it instead of booking a second table. With a cap, the customer may have at most that
  many live reservations starting in [dayStart, dayEnd) (the restaurant's local day), counted in the same step.

  Formats: include/sitting.lua. A booking appends `restaurant-reservation.booked` to the restaurant's outbox
  (outbox/outbox.lua, include/reservation-event.lua).

  KEYS[1]  live sittings (sorted set "<tableId>|<reservationId>" -> start ms)
  KEYS[2]  the new reservation (hash)    KEYS[3]  all reservations (sorted set reservationId -> start)
  KEYS[4]  tables (hash tableId -> JSON)   KEYS[5]  the customer's live reservations (sorted set id -> start)
  KEYS[6]  the restaurant's outbox (stream)   KEYS[7]  the restaurant (hash: id, name, managerId, timezone)
  ARGV[1]  reservationId  ARGV[2]  userId  ARGV[3]  start  ARGV[4]  end  ARGV[5]  partySize  ARGV[6]  guestName
  ARGV[7]  notes  ARGV[8]  guestPhone ('' unless staff booked it for a guest without an account)  ARGV[9]  now
  ARGV[10] sitting length ms (every sitting of the restaurant lasts this long)
  ARGV[11] dayStart  ARGV[12] dayEnd  ARGV[13] most live reservations of the customer that day (0: no cap)
  ARGV[14..] candidate table ids, in order of preference

  Returns: {1, tableId} booked    {2, tableId} booked before by this same command    {-1} no candidate is free
           {-2} the customer has ARGV[13] live reservations that day already
]]
--!include sitting
--!include outbox/outbox
--!include reservation-event
local existing = redis.call('HGET', KEYS[2], 'tableId')
if existing then
  return { 2, existing }
end
local cap = tonumber(ARGV[13])
if cap > 0 and redis.call('ZCOUNT', KEYS[5], ARGV[11], '(' .. ARGV[12]) >= cap then
  return { -2 }
end
local start, finish = tonumber(ARGV[3]), tonumber(ARGV[4])
local busy = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (start - tonumber(ARGV[10])), '(' .. finish)) do
  busy[sittingTable(member)] = true
end
for i = 14, #ARGV do
  local tableId = ARGV[i]
  if not busy[tableId] and redis.call('HEXISTS', KEYS[4], tableId) == 1 then
    redis.call('ZADD', KEYS[1], start, sittingMember(tableId, ARGV[1]))
    redis.call('HSET', KEYS[2], 'id', ARGV[1], 'userId', ARGV[2], 'tableId', tableId, 'start', ARGV[3], 'end', ARGV[4],
      'partySize', ARGV[5], 'guestName', ARGV[6], 'notes', ARGV[7], 'guestPhone', ARGV[8], 'status', 'booked', 'version', 1,
      'createdAt', ARGV[9], 'updatedAt', ARGV[9])
    redis.call('ZADD', KEYS[3], start, ARGV[1])
    redis.call('ZADD', KEYS[5], start, ARGV[1])
    -- Only the days still bookable matter (no local day begins more than 26 h before now).
    redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', '(' .. (tonumber(ARGV[9]) - 172800000))
    local data, user, manager = reservationEventData(KEYS[2], KEYS[7])
    outboxAppend(KEYS[6], 'restaurant-reservation.booked', ARGV[1], ARGV[9], data, user, manager)
    return { 1, tableId }
  end
end
return { -1 }
