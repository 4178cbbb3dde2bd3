--[[
  Reserves seats the user holds right now, all or nothing; the holds end and the seats are the user's for good.
  Reserving a seat the user already reserved answers as before (same reservedAt), so retries and re-sent commands
  are harmless, also once the event has started; a reservation that would change something is refused then.
  Formats: include/seat-state.lua; changes are announced by include/announce.lua; newly reserved seats are one
  `seat.reserved` event in the outbox (outbox/outbox.lua), none when nothing changed.

  KEYS[1]  seat-state hash of the event
  KEYS[2]  live holds of this user in the event
  KEYS[3]  the event's change counter (the sequence number of seat.updated)
  KEYS[4]  the event's change log (stream, ids "<seq>-0", last ~1000 kept, for clients that reconnect)
  KEYS[5]  the event's hold expiries (sorted set seatId -> expiresAt, read by the expiry sweeper)
  KEYS[6]  the event's outbox (stream; outbox/lua/include/outbox.lua)   KEYS[7]  the event (hash: createdBy)
  ARGV[1]  now (ms)     ARGV[2]  userId     ARGV[3]  pub/sub channel     ARGV[4]  event id
  ARGV[5]  now as ISO text    ARGV[6]  the event's start (ms; empty: none)
  ARGV[7..] seat ids (distinct)

  Returns: {1, newlyReserved, reservedAt1, reservedAt2, ...}   (reservedAt per seat, in ARGV order)
           {-1, seatId, ...}   these seats are not held by the user (never held, expired, someone else's)
           {-2}                the event has started (now >= its start) and not every seat is reserved already
]]
local now, userId, startsAt = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[6])
--!include seat-state
--!include announce
--!include outbox/outbox
local announce = seatChanges(KEYS[3], KEYS[4], ARGV[3], ARGV[4], ARGV[5])
local seats = { unpack(ARGV, 7) }
local states = redis.call('HMGET', KEYS[1], unpack(seats))

local missing, times, fresh = {}, {}, {}
for i, seatId in ipairs(seats) do
  local kind, holder, time = seatState(states[i])
  if holder ~= userId then
    missing[#missing + 1] = seatId
  elseif kind == 'R' then
    times[i] = time
  elseif tonumber(time) > now then
    times[i] = ARGV[1]
    fresh[#fresh + 1] = seatId
  else
    missing[#missing + 1] = seatId
  end
end
if startsAt and now >= startsAt and #missing + #fresh > 0 then
  return { -2 }
end
if #missing > 0 then
  return { -1, unpack(missing) }
end

for _, seatId in ipairs(fresh) do
  redis.call('HSET', KEYS[1], seatId, reservedState(userId, ARGV[1]))
  redis.call('ZREM', KEYS[2], seatId)
  redis.call('ZREM', KEYS[5], seatId)
  announce(seatId, 'reserved')
end
if #fresh > 0 then
  outboxAppend(KEYS[6], 'seat.reserved', ARGV[4] .. '/' .. fresh[1] .. '/' .. ARGV[1], ARGV[1],
    cjson.encode({ eventId = ARGV[4], userId = userId, seatIds = fresh, reservedAt = ARGV[5] }), userId,
    redis.call('HGET', KEYS[7], 'createdBy'))
end
return { 1, #fresh, unpack(times) }
