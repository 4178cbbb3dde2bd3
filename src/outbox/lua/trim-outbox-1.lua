--[[
  Removes outbox entries the relay handed over to delivery jobs; deletes the stream once it is empty, so idle
  aggregates keep no key. An entry is removed only if it still carries the event id the relay read under that stream
  id: once the stream was deleted and appended again, a relay that read the old stream (and stalled) could otherwise
  remove a new entry that happens to get an old stream id. Safe twice (a removed entry is not found).

  KEYS[1]  the outbox stream
  ARGV[1..] pairs: stream entry id, its event id (the entry's `id` field), as the relay read them

  Returns: the entries left in the stream (appended since the relay read it)
]]
for i = 1, #ARGV, 2 do
  local entry = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i], 'COUNT', 1)[1]
  if entry then
    local fields = entry[2]
    for j = 1, #fields, 2 do
      if fields[j] == 'id' then
        if fields[j + 1] == ARGV[i + 1] then
          redis.call('XDEL', KEYS[1], ARGV[i])
        end
        break
      end
    end
  end
end
local left = redis.call('XLEN', KEYS[1])
if left == 0 then
  redis.call('DEL', KEYS[1])
end
return left
