-- best-available: a random customer holds the best `quantity` free seats (POST /holds {quantity, adjacent?}), then
-- releases each seat it got, one DELETE after the other. data: event, users ({ id, token }), body (the JSON sent)
-- extra: 'i|<n>' -> '<seat>,<heldUs>,<releaseSentUs>' per seat released (204): from the hold's answer to the
-- release's sending the seat was certainly this flow's, so two such windows of one seat must never overlap.
dofile('common.lua')

local released = 0

local function auth(user)
  return { Authorization = 'Bearer ' .. user.token, ['Content-Type'] = 'application/json' }
end

function start()
  local ctx = { user = pick(data.users) }
  return send('best', ctx, 'POST', '/v1/events/' .. data.event .. '/holds', auth(ctx.user), data.body)
end

function follow(ctx, status, _, body)
  if ctx.kind == 'best' then
    if status ~= 200 then return end
    local held = clock_us()
    for seat in string.gmatch(body, '"seatId":"([%w%-]+)"') do
      later(function()
        local path = '/v1/events/' .. data.event .. '/seats/' .. seat .. '/hold'
        return send('release', { user = ctx.user, seat = seat, held = held }, 'DELETE', path, auth(ctx.user))
      end)
    end
    return
  end
  if status == 204 then
    released = released + 1
    extra['i|' .. released] = ctx.seat .. ',' .. string.format('%d', ctx.held) .. ',' .. string.format('%d', ctx.t0)
  end
end
