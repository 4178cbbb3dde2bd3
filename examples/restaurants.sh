#!/usr/bin/env bash
# Restaurant walk-through against a running service (npm start with ADMIN_EMAIL/ADMIN_PASSWORD set): the admin sets
# up a restaurant with tables and hours, a customer lists a day's timeslots, books, moves and cancels.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ADMIN=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
HOURS='[{"day":"mon","opens":"18:00","closes":"23:00"},{"day":"tue","opens":"18:00","closes":"23:00"},{"day":"wed","opens":"18:00","closes":"23:00"},{"day":"thu","opens":"18:00","closes":"23:00"},{"day":"fri","opens":"18:00","closes":"01:00"},{"day":"sat","opens":"18:00","closes":"01:00"},{"day":"sun","opens":"12:00","closes":"16:00"}]'
RESTAURANT_ID=$(json POST /restaurants "{\"name\":\"Chez Monaco\",\"timezone\":\"Europe/Paris\",\"openingHours\":$HOURS}" "$ADMIN" | field it.id)
for table in '{"name":"Monaco","seats":2}' '{"name":"Nice","seats":4}' '{"name":"Cannes","seats":6}'; do
  json POST "/restaurants/$RESTAURANT_ID/tables" "$table" "$ADMIN" | field '`table ${it.name} (${it.seats} seats)`'
done

CUSTOMER=$(new_customer Alice)
DATE=$(node -e 'const d = new Date(Date.now() + 7 * 86400e3); while (d.getUTCDay() === 0) d.setUTCDate(d.getUTCDate() + 1); console.log(d.toISOString().slice(0, 10))')
SLOTS=$(json GET "/restaurants/$RESTAURANT_ID/timeslots?date=$DATE&partySize=3")
echo "$SLOTS" | field '`${it.length} timeslots on '"$DATE"', first ${it[0].start} with ${it[0].freeTables} free tables`'
FIRST=$(echo "$SLOTS" | field 'it[0].start')
LATER=$(echo "$SLOTS" | field 'it[3].start')

BOOKING=$(json POST "/restaurants/$RESTAURANT_ID/reservations" "{\"start\":\"$FIRST\",\"partySize\":3,\"guestName\":\"Alice\"}" "$CUSTOMER")
BOOKING_ID=$(echo "$BOOKING" | field it.id)
echo "$BOOKING" | field '`booked table ${it.tableId} at ${it.start}`'
json PATCH "/restaurants/$RESTAURANT_ID/reservations/$BOOKING_ID" "{\"start\":\"$LATER\",\"partySize\":5}" "$CUSTOMER" \
  | field '`moved to ${it.start}, party of ${it.partySize}, table ${it.tableId}`'
json DELETE "/restaurants/$RESTAURANT_ID/reservations/$BOOKING_ID" '' "$CUSTOMER" | field '`reservation ${it.status}`'
