--[[
  Holds one or more seats of an event for one user, all or nothing. Holding a seat you already hold renews it.
  A hold counts only while expiresAt > now, so an expired hold needs no cleanup: the next hold simply overwrites it.
  Safe to run twice (same ARGV, same result). Formats: include/seat-state.lua, include/renewals.lua (what counts as a
  renewal in a row); changes are announced by include/announce.lua. The TTLs of KEYS[2] and KEYS[6] are only ever
  extended, so a late re-sent command never drops another hold's data.

  KEYS[1]  seat-state hash of the event      seatId -> "H|user|expiresAt" | "R|user|reservedAt"
  KEYS[2]  live holds of this user in the event (sorted set seatId -> expiresAt)
  KEYS[3]  the event's change counter (the sequence number of seat.updated)
  KEYS[4]  the event's change log (stream, ids "<seq>-0", last ~1000 kept, for clients that reconnect)
  KEYS[5]  the event's hold expiries (sorted set seatId -> expiresAt, read by the expiry sweeper)
  KEYS[6]  the event's renewal counts (hash seatId -> "user|renewals|expiresAt|token")
  ARGV[1]  now (ms)            ARGV[2]  expiresAt (ms)      ARGV[3]  most seats one user may hold
  ARGV[4]  userId              ARGV[5]  pub/sub channel     ARGV[6]  event id
  ARGV[7]  now as ISO text (for the published message)
  ARGV[8]  the event's start (ms; empty: none)   ARGV[9]  most renewals in a row   ARGV[10]  request token
  ARGV[11] the user's pub/sub channel   ARGV[12] the user event to publish there once held (empty: none)
  ARGV[13..] seat ids (distinct)

  Returns: {1}                    held
           {-1, seatId, ...}      these seats are held by someone else or reserved; nothing changed
           {-2, liveHolds}        the user would hold more than ARGV[3] seats; nothing changed
           {-3, seatId, ...}      the user renewed these seats ARGV[9] times in a row already; nothing changed
           {-4}                   the event has started (now >= its start); nothing changed
]]
local now, expiresAt, maxHolds, userId = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), ARGV[4]
local startsAt, maxRenewals, token = tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
--!include seat-state
--!include announce
--!include renewals
local announce = seatChanges(KEYS[3], KEYS[4], ARGV[5], ARGV[6], ARGV[7])
if startsAt and now >= startsAt then
  return { -4 }
end
local seats = { unpack(ARGV, 13) }
local states = redis.call('HMGET', KEYS[1], unpack(seats))

local taken = {}
for i, seatId in ipairs(seats) do
  local state = states[i]
  if state then
    local kind, holder, time = seatState(state)
    if kind == 'R' or (holder ~= userId and tonumber(time) > now) then
      taken[#taken + 1] = seatId
    end
  end
end
if #taken > 0 then
  return { -1, unpack(taken) }
end
local holdMs = tonumber(expiresAt) - now
local renewals, tired = renewalsOf(KEYS[6], seats, userId, token, holdMs, now, maxRenewals)
if #tired > 0 then
  return { -3, unpack(tired) }
end
-- Counted without pruning first: every check is a read, so a refused hold writes nothing.
local live = redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')
local added = 0
for _, seatId in ipairs(seats) do
  local expiry = redis.call('ZSCORE', KEYS[2], seatId)
  if not expiry or tonumber(expiry) <= now then
    added = added + 1
  end
end
if live + added > maxHolds then
  return { -2, live }
end

-- The first write is an HSET on purpose: Redis refuses a script out of memory only at its first write, and only
-- when that write adds data (HSET, ZADD...); were it a removal, the whole script would run with memory full.
local value = heldState(userId, expiresAt)
for i, seatId in ipairs(seats) do
  redis.call('HSET', KEYS[1], seatId, value)
  redis.call('HSET', KEYS[6], seatId, renewalEntry(userId, renewals[i], expiresAt, token))
  redis.call('ZADD', KEYS[2], expiresAt, seatId)
  redis.call('ZADD', KEYS[5], expiresAt, seatId)
  announce(seatId, 'held')
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
-- Only ever extended: the index outlives its newest hold by a minute; a count matters for one hold time after.
expireNotBefore(KEYS[2], tonumber(expiresAt) + 60000)
expireNotBefore(KEYS[6], tonumber(expiresAt) + holdMs)
-- Published here, after the seat changes, rather than by the caller afterwards: one round trip less per hold.
if ARGV[12] ~= '' then
  redis.call('PUBLISH', ARGV[11], ARGV[12])
end
return { 1 }
