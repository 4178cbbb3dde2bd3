-- hold-storm, baseline and spike: a random customer holds a random seat, then releases it (whatever the hold answered).
-- data: prefix ('/v1' or ''), event, seats, users ({ id, token }), auth ('bearer' or 'header': x-user-id for the baseline)
dofile('common.lua')

local function auth(user)
  if data.auth == 'header' then return { ['x-user-id'] = user.id } end
  return { Authorization = 'Bearer ' .. user.token }
end

local function path(seat)
  return data.prefix .. '/events/' .. data.event .. '/seats/' .. seat .. '/hold'
end

function start()
  local ctx = { user = pick(data.users), seat = pick(data.seats) }
  return send('hold', ctx, 'POST', path(ctx.seat), auth(ctx.user))
end

function follow(ctx, status)
  if ctx.kind == 'hold' then
    later(function()
      return send('release', { user = ctx.user, seat = ctx.seat }, 'DELETE', path(ctx.seat), auth(ctx.user))
    end)
  end
end
