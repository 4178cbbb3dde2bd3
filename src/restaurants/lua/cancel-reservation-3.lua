--[[
  Cancels a reservation; its table is free again at once. Cancelling twice answers as the first time.

  Formats: include/sitting.lua.

  KEYS[1]  live sittings   KEYS[2]  the reservation (hash)   KEYS[3]  its customer's live reservations
  ARGV[1]  reservationId   ARGV[2]  now

  Returns: 1 cancelled now, 2 was cancelled already, -1 no such reservation
]]
--!include sitting
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
return 1
