--[[
  Ends the caller's live hold on a seat; the seat is available again at once. Formats: include/seat-state.lua; the
  change is announced by include/announce.lua.

  KEYS[1]  seat-state hash of the event
  KEYS[2]  live holds of this user in the event
  KEYS[3]  the event's change counter (the sequence number of seat.updated)
  KEYS[4]  the event's change log (stream, ids "<seq>-0", last ~1000 kept, for clients that reconnect)
  KEYS[5]  the event's hold expiries (sorted set seatId -> expiresAt, read by the expiry sweeper)
  ARGV[1]  seat id    ARGV[2]  userId    ARGV[3]  now (ms)    ARGV[4]  pub/sub channel
  ARGV[5]  event id   ARGV[6]  now as ISO text
  ARGV[7]  the user's pub/sub channel   ARGV[8]  the user event to publish there once released (empty: none)

  Returns: 1 released, 0 the user holds no live hold on it
]]
--!include seat-state
--!include announce
local announce = seatChanges(KEYS[3], KEYS[4], ARGV[4], ARGV[5], ARGV[6])

local kind, holder, time = seatState(redis.call('HGET', KEYS[1], ARGV[1]))
if kind ~= 'H' or holder ~= ARGV[2] or tonumber(time) <= tonumber(ARGV[3]) then
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
announce(ARGV[1], 'available')
if ARGV[8] and ARGV[8] ~= '' then
  redis.call('PUBLISH', ARGV[7], ARGV[8])
end
return 1
