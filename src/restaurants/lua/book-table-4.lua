--[[
  Books the first free table of the candidates for [start, end): a table is free when none of its live sittings
  overlaps. Exactly one of many concurrent bookings of the last free table wins. A re-delivered command finds its
  reservation and answers with it instead of booking a second table.

  KEYS[1]  live sittings (sorted set "<tableId>|<reservationId>" -> start ms)
  KEYS[2]  the new reservation (hash)    KEYS[3]  all reservations (sorted set reservationId -> start)
  KEYS[4]  tables (hash tableId -> JSON)
  ARGV[1]  reservationId  ARGV[2]  userId  ARGV[3]  start  ARGV[4]  end  ARGV[5]  partySize  ARGV[6]  guestName
  ARGV[7]  notes  ARGV[8]  now  ARGV[9]  sitting length ms (every sitting of the restaurant lasts this long)
  ARGV[10..] candidate table ids, in order of preference

  Returns: {1, tableId} booked    {2, tableId} booked before by this same command    {-1} no candidate is free
]]
local existing = redis.call('HGET', KEYS[2], 'tableId')
if existing then
  return { 2, existing }
end
local start, finish = tonumber(ARGV[3]), tonumber(ARGV[4])
local busy = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (start - tonumber(ARGV[9])), '(' .. finish)) do
  busy[string.match(member, '^([^|]+)|')] = true
end
for i = 10, #ARGV do
  local tableId = ARGV[i]
  if not busy[tableId] and redis.call('HEXISTS', KEYS[4], tableId) == 1 then
    redis.call('ZADD', KEYS[1], start, tableId .. '|' .. ARGV[1])
    redis.call('HSET', KEYS[2], 'id', ARGV[1], 'userId', ARGV[2], 'tableId', tableId, 'start', ARGV[3], 'end', ARGV[4],
      'partySize', ARGV[5], 'guestName', ARGV[6], 'notes', ARGV[7], 'status', 'booked', 'version', 1, 'createdAt', ARGV[8],
      'updatedAt', ARGV[8])
    redis.call('ZADD', KEYS[3], start, ARGV[1])
    return { 1, tableId }
  end
end
return { -1 }
