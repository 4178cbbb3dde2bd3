--[[
  Reserves seats the user holds right now, all or nothing; the holds end and the seats are the user's for good, each
  with its category and that category's price at this moment (a later price change does not alter them).
  Reserving a seat the user already reserved answers as before (same reservedAt and price), so retries and re-sent
  commands are harmless, also once the event has started; a reservation that would change something is refused then.
  Formats: include/seat-state.lua; seat-meta and categories: include/reserved-prices.lua. Changes are announced by
  include/announce.lua; newly reserved seats are one `seat.reserved` event in the outbox (outbox/outbox.lua), none
  when nothing changed; its data has each seat's category and price and the totals per currency.

  KEYS[1]  seat-state hash of the event
  KEYS[2]  live holds of this user in the event
  KEYS[3]  the event's change counter (the sequence number of seat.updated)
  KEYS[4]  the event's change log (stream, ids "<seq>-0", last ~1000 kept, for clients that reconnect)
  KEYS[5]  the event's hold expiries (sorted set seatId -> expiresAt, read by the expiry sweeper)
  KEYS[6]  the event's seat-meta hash (seatId -> "<categoryId>|...")
  KEYS[7]  the event's categories hash (categoryId -> JSON {name, price: {amount, currency} or null})
  KEYS[8]  the event's outbox (stream; outbox/lua/include/outbox.lua)   KEYS[9]  the event (hash: createdBy)
  ARGV[1]  now (ms)     ARGV[2]  userId     ARGV[3]  pub/sub channel     ARGV[4]  event id
  ARGV[5]  now as ISO text    ARGV[6]  the event's start (ms; empty: none)
  ARGV[7..] seat ids (distinct)

  Returns: {1, newlyReserved, reservedAt, categoryId, amount, currency, ...}   (four per seat, in ARGV order;
             categoryId '' for a reservation made before prices existed, amount and currency '' without a price)
           {-1, seatId, ...}   these seats are not held by the user (never held, expired, someone else's)
           {-2}                the event has started (now >= its start) and not every seat is reserved already
           {-3, categoryId}    that category's stored value cannot be read (integrity: category-invalid); nothing
                               was written
]]
local now, userId, startsAt = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[6])
--!include seat-state
--!include announce
--!include reserved-prices
--!include outbox/outbox
local announce = seatChanges(KEYS[3], KEYS[4], ARGV[3], ARGV[4], ARGV[5])
local seats = { unpack(ARGV, 7) }
local states = redis.call('HMGET', KEYS[1], unpack(seats))

local missing, fresh, snapshot = {}, {}, {}
for i, seatId in ipairs(seats) do
  local kind, holder, time, categoryId, amount, currency = seatState(states[i])
  if holder ~= userId then
    missing[#missing + 1] = seatId
  elseif kind == 'R' then
    snapshot[i] = { time, categoryId or '', amount or '', currency or '' }
  elseif tonumber(time) > now then
    fresh[#fresh + 1] = i
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

-- Every seat's category and price first, so a category that cannot be read refuses the whole call before a write.
local priceOf, resolved = reservedPrices(KEYS[6], KEYS[7]), {}
for _, i in ipairs(fresh) do
  local categoryId, amount, currency = priceOf(seats[i])
  if not categoryId then
    return { -3, amount }
  end
  resolved[i] = { ARGV[1], categoryId, amount, currency }
end

for _, i in ipairs(fresh) do
  local seatId = seats[i]
  redis.call('HSET', KEYS[1], seatId, reservedState(userId, unpack(resolved[i])))
  redis.call('ZREM', KEYS[2], seatId)
  redis.call('ZREM', KEYS[5], seatId)
  announce(seatId, 'reserved')
  snapshot[i] = resolved[i]
end
if #fresh > 0 then
  local freshIds, freshResolved = {}, {}
  for n, i in ipairs(fresh) do
    freshIds[n], freshResolved[n] = seats[i], resolved[i]
  end
  local lines, totals = reservedSeatsData(freshIds, freshResolved)
  outboxAppend(KEYS[8], 'seat.reserved', ARGV[4] .. '/' .. freshIds[1] .. '/' .. ARGV[1], ARGV[1],
    cjson.encode({ eventId = ARGV[4], userId = userId, seatIds = freshIds, seats = lines,
      totals = #totals > 0 and totals or nil,
      reservedAt = ARGV[5] }), userId, redis.call('HGET', KEYS[9], 'createdBy'))
end

local out = { 1, #fresh }
for i = 1, #seats do
  for _, field in ipairs(snapshot[i]) do
    out[#out + 1] = field
  end
end
return out
