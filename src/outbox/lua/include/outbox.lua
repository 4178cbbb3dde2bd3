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
