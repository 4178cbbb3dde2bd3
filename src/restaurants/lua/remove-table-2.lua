--[[
  Removes a table unless it has a sitting that has not ended yet (now or in the future).

  Formats: include/sitting.lua.

  KEYS[1]  tables (hash)   KEYS[2]  live sittings
  ARGV[1]  tableId   ARGV[2]  now   ARGV[3]  sitting length ms

  Returns: 1 removed, 0 no such table, -1 it has current or future reservations
]]
--!include sitting
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. (tonumber(ARGV[2]) - tonumber(ARGV[3])), '+inf')) do
  if sittingTable(member) == ARGV[1] then
    return -1
  end
end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
