--[[
  Reserves a slot for a client as a pending appointment that holds the slot until expiresAt. Exactly one of many
  concurrent clients wins. The same client reserving a slot it already holds gets its appointment back, so a retry
  (or a re-delivered command) never creates a second one. Formats: include/slot-formats.lua. A reservation appends
  `appointment.reserved` to the provider's outbox (outbox/outbox.lua, include/appointment-event.lua).

  KEYS[1]  slot times   KEYS[2]  slot state   KEYS[3]  the new appointment (hash)
  KEYS[4]  the provider's appointments (sorted set, scores 0, "<start, 15 digits>:<apptId>")   KEYS[5]  this client's pending ones here
  KEYS[6]  the provider's outbox (stream)
  ARGV[1]  slotId  ARGV[2]  clientId  ARGV[3]  appointmentId  ARGV[4]  now  ARGV[5]  expiresAt
  ARGV[6]  lead time ms   ARGV[7]  most pending appointments per client with this provider   ARGV[8]  providerId

  Returns: {1, apptId}      reserved          {2, apptId}   this client already holds it (its appointment)
           {-1}             no such slot      {-2}          it starts sooner than the lead time allows
           {-3}             taken (pending by another client, or confirmed)
           {-4}             the client has too many pending appointments with this provider
]]
--!include slot-formats
--!include outbox/outbox
--!include appointment-event
local times = redis.call('HGET', KEYS[1], ARGV[1])
if not times then
  return { -1 }
end
local start, finish = slotTimes(times)
local now = tonumber(ARGV[4])
local state = redis.call('HGET', KEYS[2], ARGV[1])
if state then
  local kind, client, expiresAt, appointmentId = slotState(state)
  if kind == 'C' then
    return { -3 }
  end
  if expiresAt > now then
    if client == ARGV[2] then
      -- Its own appointment id: this very command, delivered twice.
      if appointmentId == ARGV[3] then
        return { 1, appointmentId }
      end
      return { 2, appointmentId }
    end
    return { -3 }
  end
end
if tonumber(start) - now < tonumber(ARGV[6]) then
  return { -2 }
end
-- Counted without pruning first: every check is a read, so a refused reservation writes nothing.
if redis.call('ZCOUNT', KEYS[5], '(' .. now, '+inf') >= tonumber(ARGV[7]) then
  return { -4 }
end
-- The first write is an HSET on purpose: Redis refuses a script out of memory only at its first write, and only
-- when that write adds data; a ZREMRANGEBYSCORE first would let the whole reservation run with memory full.
redis.call('HSET', KEYS[2], ARGV[1], pendingState(ARGV[2], ARGV[5], ARGV[3]))
redis.call('HSET', KEYS[3], 'id', ARGV[3], 'slotId', ARGV[1], 'providerId', ARGV[8], 'clientId', ARGV[2],
  'start', start, 'end', finish, 'status', 'pending', 'createdAt', ARGV[4], 'expiresAt', ARGV[5])
redis.call('ZADD', KEYS[4], 0, appointmentMember(start, ARGV[3]))
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
local data = appointmentEventData(KEYS[3], 'pending')
outboxAppend(KEYS[6], 'appointment.reserved', ARGV[3], ARGV[4], data, ARGV[2], '')
return { 1, ARGV[3] }
