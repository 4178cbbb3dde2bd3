-- Shared by the seat scripts (inserted by the loader where a script says `--!include announce`).
-- announce(seatId, status): counts the change in KEYS[3], appends it to the log KEYS[4] (ids "<seq>-0", ~1000 kept)
-- and publishes it. Expects the ARGV positions CHANNEL, EVENT and AT to be defined by the including script.
local function announce(seatId, status)
  local seq = redis.call('INCR', KEYS[3])
  local message = cjson.encode({ eventId = ARGV[EVENT], seatId = seatId, status = status, at = ARGV[AT], seq = seq })
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', 1000, seq .. '-0', 'm', message)
  redis.call('PUBLISH', ARGV[CHANNEL], message)
end
