--[[
  Holds one or more seats of an event for one user, all or nothing. Holding a seat you already hold renews it (an
  offered seat held again becomes an ordinary hold). A hold counts only while expiresAt > now; a lapsed hold met here
  is freed first (include/free-seats.lua), so the waiting line gets it before this caller. Safe to run twice (same
  ARGV, same result). Formats: include/seat-state.lua, include/renewals.lua (what counts as a renewal in a row),
  include/free-seats.lua; changes are announced by include/announce.lua. The TTLs of KEYS[14] and KEYS[15] are only
  ever extended, so a late re-sent command never drops another hold's data.

  KEYS[1..13], ARGV[1..7]  the freeing layout (include/free-seats.lua)
  KEYS[14] live holds of this user in the event (sorted set seatId -> expiresAt)
  KEYS[15] the event's renewal counts (hash seatId -> "user|renewals|expiresAt|token")
  ARGV[8]  expiresAt (ms)      ARGV[9]  most seats one user may hold      ARGV[10] userId
  ARGV[11] the event's start (ms; empty: none)   ARGV[12] most renewals in a row   ARGV[13] request token
  ARGV[14] the user's pub/sub channel   ARGV[15] the user event to publish there once held (empty: none)
  ARGV[16..] seat ids (distinct)

  Returns: {1, offers}                  held (offers: made while freeing lapsed holds, see free-seats.lua)
           {-1, offers, seatId, ...}    these seats are held by someone else or reserved; nothing else changed
           {-2, offers, liveHolds}      the user would hold more than ARGV[9] seats; nothing else changed
           {-3, offers, seatId, ...}    the user renewed these seats ARGV[12] times in a row already
           {-4}                         the event has started (now >= its start); nothing changed
]]
local now, expiresAt, maxHolds, userId = tonumber(ARGV[1]), ARGV[8], tonumber(ARGV[9]), ARGV[10]
local startsAt, maxRenewals, token = tonumber(ARGV[11]), tonumber(ARGV[12]), ARGV[13]
--!include seat-state
--!include seat-meta
--!include announce
--!include renewals
--!include free-seats
local announce, free = seatFreeing()
if startsAt and now >= startsAt then
  return { -4 }
end
local seats = { unpack(ARGV, 16) }
local states = redis.call('HMGET', KEYS[1], unpack(seats))
local lapsed = {}
for i, state in ipairs(states) do
  local kind, _, time = seatState(state)
  if kind == 'H' and tonumber(time) <= now then
    lapsed[#lapsed + 1] = seats[i]
  end
end
local offers = {}
-- Read again only when lapsed holds were freed (an offer may have taken a seat); usually nothing lapsed.
if #lapsed > 0 then
  offers = free(lapsed)
  states = redis.call('HMGET', KEYS[1], unpack(seats))
end

local taken = {}
for i, seatId in ipairs(seats) do
  local kind, holder = seatState(states[i])
  if kind == 'R' or (kind == 'H' and holder ~= userId) then
    taken[#taken + 1] = seatId
  end
end
if #taken > 0 then
  return { -1, offers, unpack(taken) }
end
local holdMs = tonumber(expiresAt) - now
local renewals, tired = renewalsOf(KEYS[15], seats, userId, token, holdMs, now, maxRenewals)
if #tired > 0 then
  return { -3, offers, unpack(tired) }
end
-- Counted without pruning first: every check is a read, so a refused hold writes nothing more.
local live = redis.call('ZCOUNT', KEYS[14], '(' .. now, '+inf')
local added = 0
for _, seatId in ipairs(seats) do
  local expiry = redis.call('ZSCORE', KEYS[14], seatId)
  if not expiry or tonumber(expiry) <= now then
    added = added + 1
  end
end
if live + added > maxHolds then
  return { -2, offers, live }
end

-- The first write is an HSET on purpose: Redis refuses a script out of memory only at its first write, and only
-- when that write adds data (HSET, ZADD...); were it a removal, the whole script would run with memory full.
-- Only an available seat is in its free set, and only a held one can be an offer (free-seats.lua), so a seat pays
-- for the one index its state says it is in: a new hold reads its category (one HMGET for all) and leaves the free
-- set; a renewed hold (maybe an offer) ends its offer.
local value, fresh = heldState(userId, expiresAt), {}
for i, seatId in ipairs(seats) do
  if not states[i] then
    fresh[#fresh + 1] = seatId
  end
end
local categoryOf = {}
if #fresh > 0 then
  for i, meta in ipairs(redis.call('HMGET', KEYS[5], unpack(fresh))) do
    categoryOf[fresh[i]] = seatMeta(meta) or false
  end
end
for i, seatId in ipairs(seats) do
  redis.call('HSET', KEYS[1], seatId, value)
  redis.call('HSET', KEYS[15], seatId, renewalEntry(userId, renewals[i], expiresAt, token))
  redis.call('ZADD', KEYS[14], expiresAt, seatId)
  redis.call('ZADD', KEYS[4], expiresAt, seatId)
  if states[i] then
    redis.call('HDEL', KEYS[8], seatId)
  elseif categoryOf[seatId] then
    redis.call('ZREM', KEYS[6] .. categoryOf[seatId], seatId)
  end
  announce(seatId, 'held')
end
redis.call('ZREMRANGEBYSCORE', KEYS[14], '-inf', now)
-- Only ever extended: the index outlives its newest hold by a minute; a count matters for one hold time after.
expireNotBefore(KEYS[14], tonumber(expiresAt) + 60000)
expireNotBefore(KEYS[15], tonumber(expiresAt) + holdMs)
-- Published here, after the seat changes, rather than by the caller afterwards: one round trip less per hold.
if ARGV[15] ~= '' then
  redis.call('PUBLISH', ARGV[14], ARGV[15])
end
return { 1, offers }
