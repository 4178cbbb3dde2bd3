-- The data of a restaurant reservation's outbox event (restaurant-reservation.booked, .moved, .cancelled), built from
-- the stored reservation and restaurant hashes; the API's times (outboxTime). A guest's reservation (staff booked it,
-- guestPhone set) concerns no user: its `user` routing is empty, so no email goes to the staff account.
-- Needs outbox/outbox.   reservationEventData(reservationKey, restaurantKey) -> JSON text, user ('' for a guest),
-- the restaurant's manager (its owner)
local function reservationEventData(reservationKey, restaurantKey)
  local r = redis.call('HMGET', reservationKey, 'id', 'userId', 'tableId', 'start', 'end', 'partySize', 'status',
    'guestPhone', 'version')
  local restaurant = redis.call('HMGET', restaurantKey, 'id', 'name', 'managerId', 'timezone')
  local guest = (r[8] or '') ~= ''
  return cjson.encode({ id = r[1], restaurantId = restaurant[1], restaurantName = restaurant[2],
    timezone = restaurant[4], userId = r[2], tableId = r[3], start = outboxTime(r[4]), ['end'] = outboxTime(r[5]),
    partySize = tonumber(r[6]), status = r[7], guest = guest, version = tonumber(r[9]) }), guest and '' or r[2],
    restaurant[3] or ''
end
