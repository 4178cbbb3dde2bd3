-- hold-storm, baseline and spike: a random customer holds a random seat, then releases it (whatever the hold answered).
-- data: prefix ('/v1' or ''), event, seats, users ({ id, token }), auth ('bearer' or 'header': x-user-id for the baseline)
-- extra: per customer and seat (key '<seat index>:<user index>:<tally>', 1-based indices into data.seats/data.users):
--   s flows started, o flows not finished (hold sent, release not answered), x 1 when two flows of the pair overlapped,
--   h holds answered 200, r releases answered 204, l flows held (200) and then not released (204), p flows not
--   held and then released (204), u flows with an answer other than 200/409 to the hold or 204/404/409 to the release
--   (their effect is unknown). hold-storm's check (bench/lib/scenarios.mjs) compares these with Redis, per pair.
dofile('common.lua')

local function auth(user)
  if data.auth == 'header' then return { ['x-user-id'] = user.id } end
  return { Authorization = 'Bearer ' .. user.token }
end

local function path(seat)
  return data.prefix .. '/events/' .. data.event .. '/seats/' .. seat .. '/hold'
end

local function tally(pair, what, n)
  local key = pair .. what
  local now = (extra[key] or 0) + (n or 1)
  extra[key] = now
  return now
end

function start()
  local s, u = math.random(#data.seats), math.random(#data.users)
  local ctx = { user = data.users[u], seat = data.seats[s], pair = s .. ':' .. u .. ':' }
  tally(ctx.pair, 's')
  if tally(ctx.pair, 'o') > 1 then extra[ctx.pair .. 'x'] = 1 end
  return send('hold', ctx, 'POST', path(ctx.seat), auth(ctx.user))
end

function follow(ctx, status)
  if ctx.kind == 'hold' then
    local held = status == 200
    if held then tally(ctx.pair, 'h') end
    local known = held or status == 409
    later(function()
      local next = { user = ctx.user, seat = ctx.seat, pair = ctx.pair, held = held, known = known }
      return send('release', next, 'DELETE', path(ctx.seat), auth(ctx.user))
    end)
    return
  end
  tally(ctx.pair, 'o', -1)
  local released = status == 204
  if released then tally(ctx.pair, 'r') end
  if not ctx.known or not (released or status == 404 or status == 409) then
    tally(ctx.pair, 'u')
  elseif ctx.held and not released then
    tally(ctx.pair, 'l')
  elseif released and not ctx.held then
    tally(ctx.pair, 'p')
  end
end
