-- A seat's place in the venue, a field of the event's seat-meta hash (`--!include seat-meta`), written once at the
-- event's creation: "<categoryId>|<order>|<rowKey>|<position>|<accessible 0 or 1>"; order is the seat's rank in
-- best-available order over the whole event, rowKey "<section>.<row>", position its index in the row (0-based).
-- events/venue.codec.ts is the TypeScript definition (written by layouts' creation).
-- seatMeta(value) -> categoryId, order, rowKey, position, accessible (numbers and a boolean); nil when absent
local function seatMeta(value)
  local category, order, row, position, accessible =
    string.match(value or '', '^([^|]+)|(%d+)|([^|]*)|(%d+)|([01])$')
  if not category then
    return nil
  end
  return category, tonumber(order), row, tonumber(position), accessible == '1'
end
