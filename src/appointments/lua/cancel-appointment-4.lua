--[[
  Cancels an appointment (pending or confirmed) and frees its slot if the slot is still this appointment's.
  Cancelling twice answers as the first time. Whether the freed slot can be booked again is the lead-time rule's
  business: a slot starting within the lead time is never offered.

  Formats: include/slot-formats.lua. Cancelling appends `appointment.cancelled` to the provider's outbox.

  KEYS[1]  the appointment (hash)   KEYS[2]  slot state   KEYS[3]  the client's pending ones with this provider
  KEYS[4]  the provider's outbox (stream; outbox/outbox.lua, include/appointment-event.lua)
  ARGV[1]  now

  Returns: {1} cancelled now   {2} was cancelled already   {-1} no such appointment
]]
--!include slot-formats
--!include outbox/outbox
--!include appointment-event
local a = redis.call('HMGET', KEYS[1], 'status', 'slotId', 'id')
if not a[1] then
  return { -1 }
end
if a[1] == 'cancelled' then
  return { 2 }
end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'cancelledAt', ARGV[1])
local _, _, _, holder = slotState(redis.call('HGET', KEYS[2], a[2]))
if holder == a[3] then
  redis.call('HDEL', KEYS[2], a[2])
end
redis.call('ZREM', KEYS[3], a[3])
local data, clientId = appointmentEventData(KEYS[1], 'cancelled')
outboxAppend(KEYS[4], 'appointment.cancelled', a[3], ARGV[1], data, clientId, '')
return { 1 }
