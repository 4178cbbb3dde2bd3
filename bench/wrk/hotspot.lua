-- hotspot: everyone holds one of the same few seats. extra: 'seat|user' of every hold answered 200.
-- data: event, seats, users ({ id, token })
dofile('common.lua')

function start()
  local ctx = { user = pick(data.users), seat = pick(data.seats) }
  local path = '/v1/events/' .. data.event .. '/seats/' .. ctx.seat .. '/hold'
  return send('hold', ctx, 'POST', path, { Authorization = 'Bearer ' .. ctx.user.token })
end

function follow(ctx, status)
  if status == 200 then extra[ctx.seat .. '|' .. ctx.user.id] = 1 end
end
