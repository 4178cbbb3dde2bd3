-- concurrent-edit: everyone reads the one booking, then PATCHes it with the ETag they read (If-Match).
-- extra: 'version|title' of every edit answered 200. data: booking, owner ({ id, token })
dofile('common.lua')

local n = 0

local function auth()
  return { Authorization = 'Bearer ' .. data.owner.token }
end

function start()
  return send('read', {}, 'GET', '/v1/bookings/' .. data.booking, auth())
end

function follow(ctx, status, h, body)
  if ctx.kind == 'read' then
    local etag = h['etag'] or h['ETag'] or '"0"'
    later(function()
      local title = 'Edit ' .. tid .. '-' .. seq .. '-' .. math.random()
      local headers = auth()
      headers['Content-Type'] = 'application/json'
      headers['If-Match'] = etag
      return send('edit', { title = title }, 'PATCH', '/v1/bookings/' .. data.booking, headers,
        '{"title":"' .. title .. '"}')
    end)
  elseif status == 200 then
    n = n + 1
    extra[n] = body:match('"version":(%d+)') .. '|' .. ctx.title
  end
end
