-- mixed-crud: a random customer creates a booking, reads it, lists, edits it with its ETag (If-Match), deletes it.
-- Each step is sent once the previous one answered its success status; any other answer ends the flow.
-- data: users ({ id, token })
dofile('common.lua')

local SUCCESS = { create = 201, read = 200, list = 200, edit = 200, delete = 204 }
local JSON = 'application/json'

local function headers(ctx, more)
  local h = { Authorization = 'Bearer ' .. ctx.user.token }
  for k, v in pairs(more or {}) do h[k] = v end
  return h
end

local function iso(seconds)
  return os.date('!%Y-%m-%dT%H:%M:%S.000Z', seconds)
end

function start()
  local ctx = { user = pick(data.users) }
  local startsAt = os.time() + 86400 + math.random(0, 1000000)
  local body = '{"type":"show","title":"Show ' .. math.random() .. '","startTime":"' .. iso(startsAt)
    .. '","endTime":"' .. iso(startsAt + 7200) .. '"}'
  return send('create', ctx, 'POST', '/v1/bookings', headers(ctx, { ['Content-Type'] = JSON }), body)
end

local NEXT = {
  create = function(c)
    return send('read', c, 'GET', '/v1/bookings/' .. c.id, headers(c))
  end,
  read = function(c)
    return send('list', c, 'GET', '/v1/bookings?limit=20', headers(c))
  end,
  list = function(c)
    local h = headers(c, { ['Content-Type'] = JSON, ['If-Match'] = c.etag })
    return send('edit', c, 'PATCH', '/v1/bookings/' .. c.id, h, '{"notes":"edited"}')
  end,
  edit = function(c)
    return send('delete', c, 'DELETE', '/v1/bookings/' .. c.id, headers(c))
  end,
}

function follow(ctx, status, h, body)
  if status ~= SUCCESS[ctx.kind] or not NEXT[ctx.kind] then return end
  local c = { user = ctx.user, id = ctx.id, etag = ctx.etag }
  if ctx.kind == 'create' then
    c.id = body:match('"id":"([^"]+)"')
    c.etag = h['etag'] or h['ETag']
  end
  local step = NEXT[ctx.kind]
  later(function() return step(c) end)
end
