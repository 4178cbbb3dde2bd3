#!/usr/bin/env bash
# Box office walk-through against a running service (npm start with ADMIN_EMAIL/ADMIN_PASSWORD set):
# create an event as the bootstrap admin, list seats, hold one, reserve it, and watch a second customer lose the race.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ADMIN=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
EVENT=$(json POST /events '{"name":"Spring concert","numberOfSeats":50,"startsAt":"2027-05-01T19:30:00+02:00"}' "$ADMIN")
EVENT_ID=$(echo "$EVENT" | field it.id)
echo "event $EVENT_ID"

SEAT_ID=$(json GET "/events/$EVENT_ID/seats" | field 'it[0].id')
echo "available seats: $(json GET "/events/$EVENT_ID/seats" | field it.length)"

ALICE=$(new_customer Alice)
BOB=$(new_customer Bob)
json POST "/events/$EVENT_ID/seats/$SEAT_ID/hold" '' "$ALICE" | field '`Alice holds seat ${it.number} until ${it.expiresAt}`'
json POST "/events/$EVENT_ID/seats/$SEAT_ID/hold" '' "$BOB" 2>&1 | tail -1 | field '`Bob: ${it.status} ${it.code}`' || true
json POST "/events/$EVENT_ID/seats/$SEAT_ID/reserve" '' "$ALICE" | field '`Alice reserved seat ${it.number} at ${it.reservedAt}`'
json POST "/events/$EVENT_ID/holds" '{"quantity":3,"adjacent":true}' "$BOB" | field '`Bob holds seats ${it.seats.map((s) => s.number)}`'
json GET "/events/$EVENT_ID" | field '`counts: ${JSON.stringify(it.counts)}`'
json GET /users/me/reservations '' "$ALICE" | field '`Alice has ${it.items.length} reserved seat(s)`'
