#!/usr/bin/env bash
# Appointments walk-through against a running service (npm start): a provider publishes two hours the day after
# tomorrow, a client lists and reserves a slot and confirms it, a second client finds it taken.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

register() {
  json POST /auth/register "{\"email\":\"$1-$RANDOM$RANDOM@example.com\",\"password\":\"correct horse battery\",\"name\":\"$2\",\"role\":\"$1\"}"
}
PROVIDER_SESSION=$(register provider 'Dr. Henry')
PROVIDER=$(echo "$PROVIDER_SESSION" | field it.accessToken)
PROVIDER_ID=$(echo "$PROVIDER_SESSION" | field it.user.id)
CLIENT=$(register customer Alice | field it.accessToken)
OTHER=$(register customer Bob | field it.accessToken)

# Two hours starting at 09:00 UTC two days from now (on the 15-minute grid, well past the 24 h lead time).
WINDOW=$(node -e 'const d = new Date(); d.setUTCDate(d.getUTCDate() + 2); d.setUTCHours(9, 0, 0, 0);
  const end = new Date(d.getTime() + 2 * 3600e3); console.log(JSON.stringify({ windows: [{ start: d.toISOString(), end: end.toISOString() }] }))')
json POST /providers/me/availability "$WINDOW" "$PROVIDER" | field '`opened ${it.created} slots`'

SLOT_ID=$(json GET "/providers/$PROVIDER_ID/slots" '' "$CLIENT" | field 'it[0].id')
APPOINTMENT=$(json POST /appointments "{\"slotId\":\"$SLOT_ID\"}" "$CLIENT")
APPOINTMENT_ID=$(echo "$APPOINTMENT" | field it.id)
echo "$APPOINTMENT" | field '`Alice reserved ${it.start}: ${it.status} until ${it.expiresAt}`'
json POST /appointments "{\"slotId\":\"$SLOT_ID\"}" "$OTHER" 2>&1 | tail -1 | field '`Bob: ${it.status} ${it.code}`' || true
json POST "/appointments/$APPOINTMENT_ID/confirm" '' "$CLIENT" | field '`Alice: ${it.status}`'
json GET /appointments '' "$PROVIDER" | field '`provider schedule: ${it.items.map((a) => `${a.start} ${a.status}`).join(", ")}`'
