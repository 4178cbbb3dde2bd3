--[[
  Reads an outbox stream for the relay, up to the entry that was last when the relay looked up which event types any
  consumer wants: entries of a wanted type are answered (the relay hands them over, then trim-outbox-1.lua removes
  them); the others are removed here, unread by the relay, since no consumer anywhere wanted them when they were
  appended (a webhook endpoint registered later is not owed events from before; outbox-relay.ts). A stream left empty
  is deleted, so idle aggregates keep no key. Safe twice: a removed entry is not found again.
  When the last entry is no longer there under its event id (another relay emptied the stream, which was deleted and
  appended to again, possibly under old stream ids), the lookup may be older than what the stream now holds up to that
  id: every entry is answered then, none removed unread (the consumers' own wants() still filter).

  KEYS[1]  the outbox stream
  ARGV[1]  the stream id after which to read ('-': from the start)
  ARGV[2]  the last stream id to look at (inclusive)
  ARGV[3]  the event id (`id` field) the entry at ARGV[2] carried when the relay read it
  ARGV[4]  most entries to answer
  ARGV[5..] the wanted event types; ARGV[5] = '*': every type

  Returns: {more, dropped, {streamId, fields}, ...}: more = 1 when entries up to ARGV[2] are left to look at (this
  call answered as many as it may, or looked at 1,000), dropped = how many unwanted entries it removed
]]
-- The value of an entry's field (`id`, `type`), nil when it has none.
local function field(fields, name)
  for j = 1, #fields, 2 do
    if fields[j] == name then
      return fields[j + 1]
    end
  end
end

local stream, upto, most = KEYS[1], ARGV[2], tonumber(ARGV[4])
local every, wanted = ARGV[5] == '*', {}
for i = 5, #ARGV do
  wanted[ARGV[i]] = true
end
local tail = redis.call('XRANGE', stream, upto, upto)[1]
if not tail or field(tail[2], 'id') ~= ARGV[3] then
  every = true
end
local out, from, looked, dropped, more = { 0, 0 }, ARGV[1] == '-' and '-' or '(' .. ARGV[1], 0, 0, 0
while true do
  local page = redis.call('XRANGE', stream, from, upto, 'COUNT', 100)
  if #page == 0 then
    break
  end
  for _, entry in ipairs(page) do
    if #out - 2 == most or looked == 1000 then
      more = 1
      break
    end
    looked = looked + 1
    local kind = field(entry[2], 'type')
    if every or (kind and wanted[kind]) then
      out[#out + 1] = entry
    else
      redis.call('XDEL', stream, entry[1])
      dropped = dropped + 1
    end
    from = '(' .. entry[1]
  end
  if more == 1 or #page < 100 then
    break
  end
end
if dropped > 0 and redis.call('XLEN', stream) == 0 then
  redis.call('DEL', stream)
end
out[1], out[2] = more, dropped
return out
