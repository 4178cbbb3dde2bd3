-- Seat changes as live seat maps learn of them (`--!include announce`). seatChanges(seqKey, logKey, channel, eventId,
-- at) -> announce(seatId, status): counts each change in seqKey (the event's change counter), appends it to logKey
-- (the change log, ids "<seq>-0", ~1000 kept) and publishes it on channel as
-- {"eventId","seatId","status","at","seq"}; at is the change's time as ISO text.
local function seatChanges(seqKey, logKey, channel, eventId, at)
  return function(seatId, status)
    local seq = redis.call('INCR', seqKey)
    local message = cjson.encode({ eventId = eventId, seatId = seatId, status = status, at = at, seq = seq })
    redis.call('XADD', logKey, 'MAXLEN', '~', 1000, seq .. '-0', 'm', message)
    redis.call('PUBLISH', channel, message)
  end
end
