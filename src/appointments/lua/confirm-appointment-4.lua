--[[
  Confirms a pending appointment while it still holds its slot (now < expiresAt). Confirming twice answers as the
  first time. After expiry the appointment is expired and its slot is free again (if nobody took it meanwhile).
  Formats: include/slot-formats.lua. Confirming appends `appointment.confirmed` to the provider's outbox.

  KEYS[1]  the appointment (hash)   KEYS[2]  slot state   KEYS[3]  the client's pending ones with this provider
  KEYS[4]  the provider's outbox (stream; outbox/outbox.lua, include/appointment-event.lua)
  ARGV[1]  now    ARGV[2]  clientId (must be the appointment's)

  Returns: {1} confirmed now   {2} was confirmed already   {-1} no such appointment of this client
           {-2} expired         {-3} cancelled
]]
--!include slot-formats
--!include outbox/outbox
--!include appointment-event
local a = redis.call('HMGET', KEYS[1], 'clientId', 'status', 'expiresAt', 'slotId', 'id')
if not a[1] or a[1] ~= ARGV[2] then
  return { -1 }
end
if a[2] == 'confirmed' then
  return { 2 }
end
if a[2] == 'cancelled' then
  return { -3 }
end
local now = tonumber(ARGV[1])
if tonumber(a[3]) <= now then
  return { -2 }
end
-- The slot must still be held by this appointment.
local _, _, _, holder = slotState(redis.call('HGET', KEYS[2], a[4]))
if holder ~= a[5] then
  return { -2 }
end
redis.call('HSET', KEYS[1], 'status', 'confirmed', 'confirmedAt', ARGV[1])
redis.call('HSET', KEYS[2], a[4], confirmedState(ARGV[2], a[5]))
redis.call('ZREM', KEYS[3], a[5])
outboxAppend(KEYS[4], 'appointment.confirmed', a[5], ARGV[1], appointmentEventData(KEYS[1], 'confirmed'), a[1], '')
return { 1 }
