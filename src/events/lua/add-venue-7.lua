--[[
  Gives an event stored before venues (issue 19) the venue keys creation writes today: the implicit layout of a
  numberOfSeats event (one unnamed row "1".."N", category `general` without a price). The free index lists the seats
  with no seat-state entry (an expired hold keeps its entry until the sweeper frees it, as everywhere else). Does
  nothing for an event that has its seat facts already (created with a venue, or migrated before), so running it
  twice, or on several instances at once, changes nothing the second time.
  Formats: events/venue.codec.ts; the chart: GET /v1/events/{id}/layout.

  KEYS[1]  the event hash     KEYS[2]  seat-meta     KEYS[3]  categories     KEYS[4]  the chart (string)
  KEYS[5]  seat-state         KEYS[6]  the free index of category `general`   KEYS[7]  the seat list
  ARGV[1]  the chart's ETag   ARGV[2]  the chart   ARGV[3]  categoryId   ARGV[4]  its stored value
  ARGV[5..] per seat, in layout order: seatId, seat-meta value, best-available order

  Returns: 1 added, 0 the event had its venue already, -1 the event (or its seat list) does not exist or does not
           match these seats
]]
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('LLEN', KEYS[7]) * 3 ~= #ARGV - 4 then
  return -1
end
redis.call('HSET', KEYS[1], 'layoutEtag', ARGV[1], 'categories', '1')
redis.call('SET', KEYS[4], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
for i = 5, #ARGV, 3 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  if redis.call('HEXISTS', KEYS[5], ARGV[i]) == 0 then
    redis.call('ZADD', KEYS[6], ARGV[i + 2], ARGV[i])
  end
end
return 1
