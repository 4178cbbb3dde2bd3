--[[
  The release when nobody waits (the usual case): ends the caller's live hold on a seat, and the seat is available
  again at once, back in its category's free set. When the event's waiting line is not empty it changes nothing and
  answers -1: the caller then sends release-hold-16.lua, which frees the seat through include/free-seats.lua and makes
  the offers in the same step. So every seat freed while someone waits is still offered by the script that frees it,
  and the usual release carries none of the line's keys and terms (docs/performance.md). Safe to run twice (a re-sent
  command finds no live hold and answers 0). Formats: include/seat-state.lua, include/seat-meta.lua; changes are
  announced by include/announce.lua.

  KEYS[1] seat-state   KEYS[2] change counter   KEYS[3] change log   KEYS[4] hold expiries   KEYS[5] seat-meta
  KEYS[6] free-set prefix ("...:free:", + categoryId; include/free-seats.lua)   KEYS[7] offers   KEYS[8] the line
  KEYS[9] live holds of this user in the event
  ARGV[1] now (ms)   ARGV[2] seat pub/sub channel   ARGV[3] event id   ARGV[4] now as ISO text
  ARGV[5] seat id    ARGV[6] userId
  ARGV[7] the user's pub/sub channel   ARGV[8] the user event to publish there once released (empty: none)

  Returns: 1   released, the seat is available
           0   the user holds no live hold on it; nothing changed
           -1  someone waits in the event's line; nothing changed (release with release-hold-16.lua)
]]
--!include seat-state
--!include seat-meta
--!include announce
local seatId = ARGV[5]
local kind, holder, time = seatState(redis.call('HGET', KEYS[1], seatId))
if kind ~= 'H' or holder ~= ARGV[6] or tonumber(time) <= tonumber(ARGV[1]) then
  return 0
end
if redis.call('EXISTS', KEYS[8]) == 1 then
  return -1
end
-- The deletion is the first write on purpose: Redis out of memory refuses a script only at its first write that adds
-- data, so a release (which frees about what the free set takes) runs whole instead of being refused.
redis.call('HDEL', KEYS[1], seatId)
-- As include/free-seats.lua frees a seat: an event without seat-meta (before its migration) has no free sets yet.
local category, order = seatMeta(redis.call('HGET', KEYS[5], seatId))
if category then
  redis.call('ZADD', KEYS[6] .. category, order, seatId)
end
redis.call('ZREM', KEYS[9], seatId)
if ARGV[8] ~= '' then
  redis.call('PUBLISH', ARGV[7], ARGV[8])
end
redis.call('HDEL', KEYS[7], seatId)
redis.call('ZREM', KEYS[4], seatId)
seatChanges(KEYS[2], KEYS[3], ARGV[2], ARGV[3], ARGV[4])(seatId, 'available')
return 1
