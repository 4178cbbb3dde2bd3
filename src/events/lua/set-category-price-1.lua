--[[
  Sets the current price of one category of an event, when the event has that category. Reservations keep the price
  they were made at (their seat-state value has its own copy), so nothing else changes. Running it twice writes the
  same value.
  Format: events/venue.codec.ts (categoryId -> JSON {"name", "price"}).

  KEYS[1]  the event's categories hash
  ARGV[1]  categoryId     ARGV[2]  the category's new stored value (name unchanged, the new price)

  Returns: 1 set, 0 the event has no such category (or its venue is not migrated yet)
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
