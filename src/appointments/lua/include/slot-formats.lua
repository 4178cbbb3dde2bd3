-- The stored formats of a provider's schedule, the one Lua definition (`--!include slot-formats`);
-- appointments/appointments.codec.ts is the TypeScript one.
-- slot state, a field of the slot-state hash: "P|<clientId>|<expiresAtMs>|<appointmentId>" (pending) or
--   "C|<clientId>|<appointmentId>" (confirmed); absent means open.
--   slotState(value) -> kind ('P' | 'C'; nil for absent or unreadable), clientId, expiresAt (ms, number; nil when
--   confirmed), appointmentId.   pendingState(clientId, expiresAt, appointmentId), confirmedState(clientId,
--   appointmentId) -> the stored value
-- slot times, a field of the slot-times hash: "<startMs>|<endMs>".   slotTimes(value) -> start, end (as text)
-- the provider's appointment index member: "<start, 15 digits>:<appointmentId>" (redis/keys.ts lexMember).
--   appointmentMember(start, appointmentId) -> the member; start is the text of a whole number of ms
local function slotState(value)
  local clientId, expiresAt, appointmentId = string.match(value or '', '^P|([^|]+)|(%d+)|(.+)$')
  if clientId then
    return 'P', clientId, tonumber(expiresAt), appointmentId
  end
  clientId, appointmentId = string.match(value or '', '^C|([^|]+)|(.+)$')
  if clientId then
    return 'C', clientId, nil, appointmentId
  end
end

local function pendingState(clientId, expiresAt, appointmentId)
  return 'P|' .. clientId .. '|' .. expiresAt .. '|' .. appointmentId
end

local function confirmedState(clientId, appointmentId)
  return 'C|' .. clientId .. '|' .. appointmentId
end

local function slotTimes(value)
  return string.match(value, '^(%d+)|(%d+)$')
end

local function encodeSlotTimes(start, finish)
  return start .. '|' .. finish
end

local function appointmentMember(start, appointmentId)
  return string.rep('0', 15 - #start) .. start .. ':' .. appointmentId
end
