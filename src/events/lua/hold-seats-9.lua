--[[
  Holds one or more seats of an event for one user, all or nothing. Holding a seat you already hold renews it (an
  offered seat held again becomes an ordinary hold). A hold counts only while expiresAt > now; a lapsed hold met here
  is not freed here: the script answers -5 and changes nothing, and the caller frees the event's lapsed holds
  (expire-holds-15.lua, where the waiting line gets them first) and holds again. So the hold, the hot path, carries
  none of the freeing layout (the line's keys, the offer's terms): docs/performance.md. Safe to run twice (same ARGV,
  same result). Formats: include/seat-state.lua, include/seat-meta.lua, include/renewals.lua (what counts as a renewal
  in a row); changes are announced by include/announce.lua. The TTLs of KEYS[8] and KEYS[9] are only ever extended,
  so a late re-sent command never drops another hold's data.

  KEYS[1] seat-state   KEYS[2] change counter   KEYS[3] change log   KEYS[4] hold expiries   KEYS[5] seat-meta
  KEYS[6] free-set prefix ("...:free:", + categoryId; include/free-seats.lua)   KEYS[7] offers (seatId -> offer)
  KEYS[8] live holds of this user in the event (sorted set seatId -> expiresAt)
  KEYS[9] the event's renewal counts (hash seatId -> "user|renewals|expiresAt|token")
  ARGV[1]  now (ms)   ARGV[2] seat pub/sub channel   ARGV[3] event id   ARGV[4] now as ISO text
  ARGV[5]  expiresAt (ms)      ARGV[6]  most seats one user may hold      ARGV[7]  userId
  ARGV[8]  the event's start (ms; empty: none)   ARGV[9]  most renewals in a row   ARGV[10] request token
  ARGV[11] the user's pub/sub channel   ARGV[12] the user event to publish there once held (empty: none)
  ARGV[13..] seat ids (distinct)

  Returns: {1}                    held
           {-1, seatId, ...}      these seats are held by someone else or reserved; nothing changed
           {-2, liveHolds}        the user would hold more than ARGV[6] seats; nothing changed
           {-3, seatId, ...}      the user renewed these seats ARGV[9] times in a row already; nothing changed
           {-4}                   the event has started (now >= its start); nothing changed
           {-5, seatId, ...}      these seats' holds lapsed and are not freed yet; nothing changed
]]
local now, expiresAt, maxHolds, userId = tonumber(ARGV[1]), ARGV[5], tonumber(ARGV[6]), ARGV[7]
local startsAt, maxRenewals, token = tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
--!include seat-state
--!include seat-meta
--!include announce
--!include renewals
local announce = seatChanges(KEYS[2], KEYS[3], ARGV[2], ARGV[3], ARGV[4])
if startsAt and now >= startsAt then
  return { -4 }
end
local seats = { unpack(ARGV, 13) }
local states = redis.call('HMGET', KEYS[1], unpack(seats))
local lapsed = {}
for i, state in ipairs(states) do
  local kind, _, time = seatState(state)
  if kind == 'H' and tonumber(time) <= now then
    lapsed[#lapsed + 1] = seats[i]
  end
end
if #lapsed > 0 then
  return { -5, unpack(lapsed) }
end

local taken = {}
for i, seatId in ipairs(seats) do
  local kind, holder = seatState(states[i])
  if kind == 'R' or (kind == 'H' and holder ~= userId) then
    taken[#taken + 1] = seatId
  end
end
if #taken > 0 then
  return { -1, unpack(taken) }
end
local holdMs = tonumber(expiresAt) - now
local renewals, tired = renewalsOf(KEYS[9], seats, userId, token, holdMs, now, maxRenewals)
if #tired > 0 then
  return { -3, unpack(tired) }
end
-- Counted without pruning first: every check is a read, so a refused hold writes nothing.
local live = redis.call('ZCOUNT', KEYS[8], '(' .. now, '+inf')
local added = 0
for _, seatId in ipairs(seats) do
  local expiry = redis.call('ZSCORE', KEYS[8], seatId)
  if not expiry or tonumber(expiry) <= now then
    added = added + 1
  end
end
if live + added > maxHolds then
  return { -2, live }
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
  redis.call('HSET', KEYS[9], seatId, renewalEntry(userId, renewals[i], expiresAt, token))
  redis.call('ZADD', KEYS[8], expiresAt, seatId)
  redis.call('ZADD', KEYS[4], expiresAt, seatId)
  if states[i] then
    redis.call('HDEL', KEYS[7], seatId)
  elseif categoryOf[seatId] then
    redis.call('ZREM', KEYS[6] .. categoryOf[seatId], seatId)
  end
  announce(seatId, 'held')
end
redis.call('ZREMRANGEBYSCORE', KEYS[8], '-inf', now)
-- Only ever extended: the index outlives its newest hold by a minute; a count matters for one hold time after.
expireNotBefore(KEYS[8], tonumber(expiresAt) + 60000)
expireNotBefore(KEYS[9], tonumber(expiresAt) + holdMs)
-- Published here, after the seat changes, rather than by the caller afterwards: one round trip less per hold.
if ARGV[12] ~= '' then
  redis.call('PUBLISH', ARGV[11], ARGV[12])
end
return { 1 }
