-- The outbox entry (outbox/outbox.codec.ts decodes it): one stream entry per domain event, appended to the
-- aggregate's outbox by the script that makes the change, so the change and its event are stored in one step.
--   outboxAppend(stream, type, naturalKey, at, data, user, owners) -> event id
-- stream: the aggregate's outbox key (a KEYS entry of the calling script); type: e.g. 'seat.reserved'; naturalKey:
-- what makes this event unique among events of its type (ids, a version, a time): the event id is derived from type
-- and naturalKey, so the same change always has the same id (a script re-sent after a lost reply, which changes
-- nothing the second time, appends nothing; were it to append, the id would repeat and the relay's job ids dedupe);
-- at: ms; data: JSON text (cjson.encode); user: the user the event concerns ('' none); owners: ids of the users
-- (managers) whose aggregate it is, comma-separated ('' none; admins see every event).
local function outboxAppend(stream, kind, naturalKey, at, data, user, owners)
  local id = 'evt_' .. string.sub(redis.sha1hex(kind .. '|' .. naturalKey), 1, 32)
  redis.call('XADD', stream, '*', 'id', id, 'type', kind, 'at', at, 'data', data, 'user', user or '', 'owners',
    owners or '')
  return id
end

-- outboxTime(ms) -> the instant as the API writes it (JavaScript's toISOString: 2030-01-02T03:04:05.678Z), for event
-- data a script builds from stored times (days from the civil calendar, H. Hinnant's algorithm; no os.date in Redis)
local function outboxTime(ms)
  ms = tonumber(ms)
  local seconds = math.floor(ms / 1000)
  local z = math.floor(seconds / 86400) + 719468
  local rest = seconds % 86400
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local day = doy - math.floor((153 * mp + 2) / 5) + 1
  local month = mp < 10 and mp + 3 or mp - 9
  local year = yoe + era * 400 + (month <= 2 and 1 or 0)
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ', year, month, day, math.floor(rest / 3600),
    math.floor(rest % 3600 / 60), rest % 60, ms % 1000)
end
