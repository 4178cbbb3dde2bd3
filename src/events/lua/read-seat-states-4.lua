--[[
  Reads an event's seat states with the sequence number of the latest change they include, and a version that names
  them: "<seq>:<sha1 of the change log's latest entry>". Every script that writes a seat state announces it in the
  same step (include/announce.lua: INCR seq, XADD the entry), so an unchanged version means unchanged states, and the
  caller that still has the states of that version gets only {seq, version} back instead of every state (HGETALL of
  20,000 values is ~18 ms of Redis time). seq alone could repeat with other states after Redis lost acknowledged
  writes (an asynchronous replica promoted): the lost change and the new one with that seq would also need the same
  seat, status and time to the millisecond (docs/architecture.md, "Events and seats"). Writes nothing.

  The waiting line's offers (seatId -> "<userId>|<entryId>|<until>", include/free-seats.lua) come with the states:
  the version names them too, since every write of the offers hash is made together with an announced seat-state
  write of the same seats (an offer holds its seats; the sweeper and the releases free them), so unchanged states
  mean unchanged offers.

  KEYS[1]  seat-state hash of the event     KEYS[2]  the event's change counter     KEYS[3]  the event's change log
  KEYS[4]  the event's offers hash
  ARGV[1]  the version whose states the caller has ('' none)

  Returns: {seq, version}                            the states are those of ARGV[1]
           {seq, version, {seatId, value, ...}, {seatId, offer, ...}}   every stored state and offer (HGETALL), read
                                                     with seq in this one step
]]
local seq = redis.call('GET', KEYS[2]) or '0'
local latest = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)[1]
local version = seq .. ':' .. (latest and redis.sha1hex(latest[1] .. '\n' .. table.concat(latest[2], '\n')) or '')
if version == ARGV[1] then
  return { seq, version }
end
return { seq, version, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[4]) }
