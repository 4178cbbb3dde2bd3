-- latency-floor: one connection, one request after another: create a booking, hold a seat, release it, read the
-- seat map; then again with another customer. data: event, seats, users ({ id, token })
dofile('common.lua')

local function iso(seconds)
  return os.date('!%Y-%m-%dT%H:%M:%S.000Z', seconds)
end

function start()
  local ctx = { user = pick(data.users), seat = pick(data.seats) }
  local startsAt = os.time() + 86400 + math.random(0, 1000000)
  local body = '{"type":"show","title":"Floor ' .. math.random() .. '","startTime":"' .. iso(startsAt)
    .. '","endTime":"' .. iso(startsAt + 7200) .. '"}'
  local h = { Authorization = 'Bearer ' .. ctx.user.token, ['Content-Type'] = 'application/json' }
  return send('create', ctx, 'POST', '/v1/bookings', h, body)
end

local function hold(ctx, method, kind)
  local path = '/v1/events/' .. data.event .. '/seats/' .. ctx.seat .. '/hold'
  return send(kind, { user = ctx.user, seat = ctx.seat }, method, path, { Authorization = 'Bearer ' .. ctx.user.token })
end

function follow(ctx)
  if ctx.kind == 'create' then
    later(function() return hold(ctx, 'POST', 'hold') end)
  elseif ctx.kind == 'hold' then
    later(function() return hold(ctx, 'DELETE', 'release') end)
  elseif ctx.kind == 'release' then
    later(function() return send('map', {}, 'GET', '/v1/events/' .. data.event .. '/seats') end)
  end
end
