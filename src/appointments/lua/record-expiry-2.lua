--[[
  Records that a pending appointment lapsed: appends `appointment.expired` to the provider's outbox, once. A lapse is
  a comparison (nothing is stored when expiresAt passes), so the expiry sweeper runs this for every due entry of the
  pending registry before it claims the entry; `expiredAt` on the appointment makes a second run (another instance,
  a re-sent command, a sweep after a crash) append nothing.

  KEYS[1]  the appointment (hash)   KEYS[2]  the provider's outbox (stream; outbox/outbox.lua)
  ARGV[1]  now (ms)

  Returns: 1 recorded now, 0 not lapsed (confirmed, cancelled, still pending, missing) or recorded before
]]
--!include outbox/outbox
--!include appointment-event
local a = redis.call('HMGET', KEYS[1], 'id', 'status', 'expiresAt', 'expiredAt')
if a[2] ~= 'pending' or a[4] or tonumber(a[3]) > tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'expiredAt', a[3])
local data, clientId = appointmentEventData(KEYS[1], 'expired')
outboxAppend(KEYS[2], 'appointment.expired', a[1], ARGV[1], data, clientId, '')
return 1
