--[[
  Cancels a reservation; its table is free again at once. Cancelling twice answers as the first time.

  Formats: include/sitting.lua. Cancelling appends `restaurant-reservation.cancelled` to the restaurant's outbox
  (outbox/outbox.lua, include/reservation-event.lua).

  KEYS[1]  live sittings   KEYS[2]  the reservation (hash)   KEYS[3]  its customer's live reservations
  KEYS[4]  the restaurant's outbox (stream)   KEYS[5]  the restaurant (hash: id, name, managerId, timezone)
  ARGV[1]  reservationId   ARGV[2]  now

  Returns: 1 cancelled now, 2 was cancelled already, -1 no such reservation
]]
--!include sitting
--!include outbox/outbox
--!include reservation-event
local r = redis.call('HMGET', KEYS[2], 'status', 'tableId')
if not r[1] then
  return -1
end
if r[1] == 'cancelled' then
  return 2
end
redis.call('HSET', KEYS[2], 'status', 'cancelled', 'cancelledAt', ARGV[2], 'updatedAt', ARGV[2])
redis.call('ZREM', KEYS[1], sittingMember(r[2], ARGV[1]))
redis.call('ZREM', KEYS[3], ARGV[1])
local data, user, manager = reservationEventData(KEYS[2], KEYS[5])
outboxAppend(KEYS[4], 'restaurant-reservation.cancelled', ARGV[1], ARGV[2], data, user, manager)
return 1
