-- A member of the restaurant's live sittings (sorted set, scored by start): "<tableId>|<reservationId>". The one Lua
-- definition (`--!include sitting`); restaurants/restaurants.codec.ts is the TypeScript one. Table ids contain no '|'.
-- sittingMember(tableId, reservationId) -> the member;  sittingTable(member) -> its table id
local function sittingMember(tableId, reservationId)
  return tableId .. '|' .. reservationId
end

local function sittingTable(member)
  return string.match(member, '^([^|]+)|')
end
