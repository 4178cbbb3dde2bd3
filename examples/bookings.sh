#!/usr/bin/env bash
# Holiday bookings walk-through against a running service (npm start): create with an Idempotency-Key (and retry
# it), edit with If-Match, lose a concurrent edit, list, delete.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TOKEN=$(new_customer Traveller)
KEY=$(node -e 'console.log(crypto.randomUUID())')
BODY='{"type":"apartment","title":"Flat in Lisbon","startTime":"2030-07-01T14:00:00+01:00","endTime":"2030-07-08T10:00:00+01:00","reminderMinutesBefore":1440}'

created=$(curl -sS -X POST "$API/bookings" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -H "idempotency-key: $KEY" -d "$BODY")
ID=$(echo "$created" | field it.id)
echo "created booking $ID (version $(echo "$created" | field it.version))"

# The same request again (a retry after a timeout, say): the first answer is replayed, nothing new is created.
curl -sS -D - -o /dev/null -X POST "$API/bookings" -H 'content-type: application/json' \
  -H "authorization: Bearer $TOKEN" -H "idempotency-key: $KEY" -d "$BODY" | grep -i '^idempotent-replayed'

ETAG=$(curl -sS -D - -o /dev/null "$API/bookings/$ID" -H "authorization: Bearer $TOKEN" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
echo "ETag $ETAG"
curl -sS -X PATCH "$API/bookings/$ID" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -H "if-match: $ETAG" -d '{"title":"Flat in Lisbon, sea view"}' | field '`edited: "${it.title}", version ${it.version}`'
# A second edit from the same (now stale) ETag loses instead of overwriting the first.
curl -sS -X PATCH "$API/bookings/$ID" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -H "if-match: $ETAG" -d '{"title":"Lost update"}' | field '`stale edit: ${it.status} ${it.code}`'

json GET /bookings '' "$TOKEN" | field '`list: ${it.items.map((b) => b.title).join(", ")}`'
curl -sS -o /dev/null -w 'delete -> %{http_code}\n' -X DELETE "$API/bookings/$ID" -H "authorization: Bearer $TOKEN"
json GET /bookings '' "$TOKEN" | field '`after delete: ${it.items.length} booking(s)`'
