# Shared helpers for the example scripts: curl with JSON, and a field picker (node is there wherever npm is).
API=${API:-http://127.0.0.1:3000/v1}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@example.com}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-change me please}

# json METHOD PATH [BODY] [TOKEN] -> prints the body, fails on a status >= 400
json() {
  local method=$1 path=$2 body=${3:-} token=${4:-}
  local args=(-sS -X "$method" "$API$path" -H 'content-type: application/json' -w '\n%{http_code}')
  [ -n "$body" ] && args+=(-d "$body")
  [ -n "$token" ] && args+=(-H "authorization: Bearer $token")
  local out status
  out=$(curl "${args[@]}")
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  echo "$method $path -> $status" >&2
  if [ "$status" -ge 400 ]; then echo "$out" >&2; return 1; fi
  echo "$out"
}

# field EXPRESSION: reads JSON on stdin, prints the JS expression evaluated on it (as `it`)
field() { node -e "const it = JSON.parse(require('fs').readFileSync(0, 'utf8')); console.log($1)"; }

login() { json POST /auth/login "{\"email\":\"$1\",\"password\":\"$2\"}" | field it.accessToken; }

# A fresh customer account; prints its access token
new_customer() {
  local email="customer-$RANDOM$RANDOM@example.com"
  json POST /auth/register "{\"email\":\"$email\",\"password\":\"correct horse battery\",\"name\":\"$1\"}" | field it.accessToken
}
