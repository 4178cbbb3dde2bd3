--[[
  Holds the best `quantity` free seats of a category (or of the whole event) for one user, all or nothing: lowest
  order first; with adjacent, consecutive positions in one row; with accessible, accessible seats only. Lapsed holds
  are freed first (at most ARGV[21]; include/free-seats.lua: the waiting line gets them before this caller). Seats the
  user may not renew again are passed over; the renewal limit is the answer only when they would have made up the
  difference. Keeps the hold limit and the renewal counts of hold-seats. Safe to run twice: a re-sent command finds
  the seats its first run held (the user's holds until expiresAt whose renewal entry carries its token).
  Formats: include/seat-state.lua, include/seat-meta.lua, include/renewals.lua, include/free-seats.lua.

  KEYS[1..15], ARGV[1..8]  the freeing layout (include/free-seats.lua)
  KEYS[16] live holds of this user in the event       KEYS[17] the event's renewal counts
  ARGV[9]  expiresAt (ms)      ARGV[10]  most seats one user may hold      ARGV[11] userId
  ARGV[12] the event's start (ms; empty: none)   ARGV[13] most renewals in a row   ARGV[14] request token
  ARGV[15] the user's pub/sub channel   ARGV[16] the seat.held user event, "\u0001S" where the seat ids go
  ARGV[17] quantity   ARGV[18] categoryId (empty: any)   ARGV[19] adjacent (1/0)   ARGV[20] accessible (1/0)
  ARGV[21] most lapsed holds to free   ARGV[22] most free seats one call reads (beyond them: not enough, {-1})

  Returns: {1, offers, seatId, ...}    held these seats, best first
           {-1, offers, free}          not enough such seats; `free` seats of the category (or event) are free
           {-2, offers, liveHolds}     the user would hold more than ARGV[10] seats
           {-3, offers, seatId, ...}   only with seats renewed ARGV[13] times in a row already (named: all met)
           {-4}                        the event has started (now >= its start); nothing changed
           {-5}                        the event has no such category; nothing changed
]]
local now, expiresAt, maxHolds, userId = tonumber(ARGV[1]), ARGV[9], tonumber(ARGV[10]), ARGV[11]
local startsAt, maxRenewals, token = tonumber(ARGV[12]), tonumber(ARGV[13]), ARGV[14]
local quantity, category, adjacent, accessible = tonumber(ARGV[17]), ARGV[18], ARGV[19] == '1', ARGV[20] == '1'
--!include seat-state
--!include seat-meta
--!include announce
--!include renewals
--!include outbox/outbox
--!include free-seats
--!include best-seats
local announce, free, freeCount = seatFreeing()
if startsAt and now >= startsAt then
  return { -4 }
end
if category ~= '' and redis.call('HEXISTS', KEYS[7], category) == 0 then
  return { -5 }
end
-- A re-sent command whose first run landed finds its seats: held by the user until expiresAt under this token.
local again = redis.call('ZRANGEBYSCORE', KEYS[16], expiresAt, expiresAt)
if #again > 0 then
  local mine = {}
  for i, row in ipairs(redis.call('HMGET', KEYS[17], unpack(again))) do
    if row and string.sub(row, -#token - 1) == '|' .. token then
      mine[#mine + 1] = again[i]
    end
  end
  if #mine > 0 then
    return { 1, {}, unpack(mine) }
  end
end
local lapsed, holds = {}, {}
for _, seatId in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, tonumber(ARGV[21]))) do
  local kind, holder, time = seatState(redis.call('HGET', KEYS[1], seatId))
  if kind == 'H' and tonumber(time) <= now then
    lapsed[#lapsed + 1] = seatId
    holds[seatId] = { holder, time }
  end
end
local offers = free(lapsed, holds)

local holdMs = tonumber(expiresAt) - now
local strict, lenient = picker(quantity, adjacent), picker(quantity, adjacent)
local picked, fallback, categoryOf, renewalOf, tired = nil, nil, {}, {}, {}
local categories = category ~= '' and { category } or redis.call('HKEYS', KEYS[7])
scanFree(KEYS[6], categories, quantity, function(batch)
  local ids = {}
  for i, seat in ipairs(batch) do
    ids[i] = seat[1]
  end
  local metas = (adjacent or accessible) and redis.call('HMGET', KEYS[5], unpack(ids)) or {}
  -- The free index is trusted only with its seats' states read (review 7): a seat that has one (index drift, which
  -- the integrity check reports) is dropped from its free set and passed over, never held a second time.
  local states = redis.call('HMGET', KEYS[1], unpack(ids))
  local renewals, _ = renewalsOf(KEYS[17], ids, userId, token, holdMs, now, maxRenewals)
  for i, seat in ipairs(batch) do
    local _, _, row, position, isAccessible = seatMeta(metas[i])
    if states[i] then
      redis.call('ZREM', KEYS[6] .. seat[3], seat[1])
    end
    -- A seat without readable meta has no row: never part of an adjacent run (seat-meta-missing reports it).
    if not states[i] and (not accessible or isAccessible) and (not adjacent or row) then
      categoryOf[seat[1]], renewalOf[seat[1]] = seat[3], renewals[i]
      fallback = fallback or lenient(seat[1], seat[2], row, position)
      if renewals[i] > maxRenewals then
        tired[#tired + 1] = seat[1]
      else
        picked = strict(seat[1], seat[2], row, position)
        if picked then
          return true
        end
      end
    end
  end
end, tonumber(ARGV[22]))
if not picked then
  if fallback then
    return { -3, offers, unpack(tired) }
  end
  return { -1, offers, freeCount(category) }
end
-- Checked once seats are found (a request no seats can satisfy is told so first), before anything is written.
local live = redis.call('ZCOUNT', KEYS[16], '(' .. now, '+inf')
if live + quantity > maxHolds then
  return { -2, offers, live }
end

local value = heldState(userId, expiresAt)
for _, seatId in ipairs(picked) do
  redis.call('HSET', KEYS[1], seatId, value)
  redis.call('ZREM', KEYS[6] .. categoryOf[seatId], seatId)
  redis.call('HSET', KEYS[17], seatId, renewalEntry(userId, renewalOf[seatId], expiresAt, token))
  redis.call('ZADD', KEYS[16], expiresAt, seatId)
  redis.call('ZADD', KEYS[4], expiresAt, seatId)
  announce(seatId, 'held')
end
redis.call('ZREMRANGEBYSCORE', KEYS[16], '-inf', now)
expireNotBefore(KEYS[16], tonumber(expiresAt) + 60000)
expireNotBefore(KEYS[17], tonumber(expiresAt) + holdMs)
-- The seat.held user event is encoded in TypeScript with a marker where the seats chosen here go.
local mark = string.find(ARGV[16], '"\\u0001S"', 1, true)
redis.call('PUBLISH', ARGV[15], ARGV[16]:sub(1, mark - 1) .. cjson.encode(picked) .. ARGV[16]:sub(mark + 9))
return { 1, offers, unpack(picked) }
