-- The data of an appointment's outbox event (appointment.reserved, .confirmed, .cancelled, .expired), built from the
-- stored appointment hash with the status the event gives it; the fields and time format of the API's
-- AppointmentView (appointments.service.ts), less the timestamps of other steps. Needs outbox/outbox (outboxTime).
--   appointmentEventData(appointmentKey, status) -> JSON text, clientId
local function appointmentEventData(appointmentKey, status)
  local a = redis.call('HMGET', appointmentKey, 'id', 'slotId', 'providerId', 'clientId', 'start', 'end', 'expiresAt')
  return cjson.encode({ id = a[1], slotId = a[2], providerId = a[3], clientId = a[4], start = outboxTime(a[5]),
    ['end'] = outboxTime(a[6]), expiresAt = outboxTime(a[7]), status = status }), a[4]
end
