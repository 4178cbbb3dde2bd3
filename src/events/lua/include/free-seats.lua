-- Seats becoming free, and the waiting line's offers (`--!include free-seats`, after seat-state, seat-meta and
-- announce). Every script that frees a seat (release, lapse, cancellation) frees it here: the first entry of the line
-- that fits is offered the best free seats of its category at once, as a hold of theirs, before anyone else can
-- take them; otherwise the seat goes back into its category's free set (score: its order), the best-available index.
-- Formats (defined here once; events/waitlist.codec.ts is the TypeScript definition):
--   line entry  "<userId>|<quantity>|<categoryId>|<joinedAtMs>"  (categoryId empty: any seat of the event)
--   offer       "<userId>|<entryId>|<expiresAtMs>"
-- An entry fits when its category (or, for the whole event, all categories together) has at least `quantity` free
-- seats; among those, the one that joined first (lowest score in the line) is offered first.
-- seatFreeing() -> announce, free(seatIds) -> offers {{userId, entryId, seatId...}, ...}, bestFree(category, n),
--   freeCount(category), leaveLine(entryId, userId, quantity, category)
-- Every script that includes it starts with the same KEYS and ARGV (the "freeing layout"):
--   KEYS[1] seat-state   KEYS[2] change counter   KEYS[3] change log   KEYS[4] hold expiries   KEYS[5] seat-meta
--   KEYS[6] free-set prefix ("...:free:", + categoryId)   KEYS[7] categories   KEYS[8] offers   KEYS[9] the line
--   KEYS[10] line entries   KEYS[11] line users (userId -> entryId)   KEYS[12] per-quantity line prefix
--   ("...:waitlist-of:", + "<quantity>:<categoryId>")   KEYS[13] per-user holds prefix ("...:holds-of:", + userId)
--   ARGV[1] now (ms)   ARGV[2] seat pub/sub channel   ARGV[3] event id   ARGV[4] now as ISO text
--   ARGV[5] an offer's expiresAt (ms)   ARGV[6] user channel prefix (+ userId)
--   ARGV[7] the waitlist.offered user event, with "\u0001S" for the seat ids and "\u0001E" for the entry id
local function lineEntry(value)
  local userId, quantity, category = string.match(value or '', '^([^|]+)|(%d+)|([^|]*)|%d+$')
  return userId, tonumber(quantity), category
end

-- The template with its (first) marker replaced: the user event is encoded in TypeScript, the seats chosen here.
local function fill(template, marker, value)
  local at = string.find(template, marker, 1, true)
  return string.sub(template, 1, at - 1) .. value .. string.sub(template, at + #marker)
end

local function seatFreeing()
  local k = {
    state = KEYS[1], expiries = KEYS[4], meta = KEYS[5], freePrefix = KEYS[6], categories = KEYS[7],
    offers = KEYS[8], line = KEYS[9], entries = KEYS[10], users = KEYS[11], linePrefix = KEYS[12],
    holdsPrefix = KEYS[13],
  }
  local a = { offerUntil = ARGV[5], userChannelPrefix = ARGV[6], offerNotice = ARGV[7] }
  local announce = seatChanges(KEYS[2], KEYS[3], ARGV[2], ARGV[3], ARGV[4])
  local function categoriesOf(category)
    if category ~= '' then
      return { category }
    end
    return redis.call('HKEYS', k.categories)
  end

  local function freeCount(category)
    local n = 0
    for _, c in ipairs(categoriesOf(category)) do
      n = n + redis.call('ZCARD', k.freePrefix .. c)
    end
    return n
  end

  -- The best n free seats of a category ('' : the whole event): {seatId, order, categoryId} in order.
  local function bestFree(category, n)
    local pool = {}
    for _, c in ipairs(categoriesOf(category)) do
      local rows = redis.call('ZRANGE', k.freePrefix .. c, 0, n - 1, 'WITHSCORES')
      for i = 1, #rows, 2 do
        pool[#pool + 1] = { rows[i], tonumber(rows[i + 1]), c }
      end
    end
    table.sort(pool, function(x, y) return x[2] < y[2] end)
    return { unpack(pool, 1, math.min(n, #pool)) }
  end

  local function leaveLine(entryId, userId, quantity, category)
    redis.call('ZREM', k.line, entryId)
    redis.call('ZREM', k.linePrefix .. quantity .. ':' .. category, entryId)
    redis.call('HDEL', k.entries, entryId)
    if redis.call('HGET', k.users, userId) == entryId then
      redis.call('HDEL', k.users, userId)
    end
  end

  -- The entry that joined first among those the free seats of the touched categories (and the whole event) fit.
  local function firstFitting(touched)
    local best, bestPlace, bestLine
    for category in pairs(touched) do
      for quantity = 1, math.min(10, freeCount(category)) do
        local line = k.linePrefix .. quantity .. ':' .. category
        local head = redis.call('ZRANGE', line, 0, 0, 'WITHSCORES')
        if head[1] and (not bestPlace or tonumber(head[2]) < bestPlace) then
          best, bestPlace, bestLine = head[1], tonumber(head[2]), line
        end
      end
    end
    return best, bestLine
  end

  -- Offers the entry its seats; an entry that cannot be read (the integrity check's waitlist-entry-invalid) leaves
  -- the line instead, so that one bad entry never fails the script that frees a seat.
  local function offer(entryId, line, offered)
    local userId, quantity, category = lineEntry(redis.call('HGET', k.entries, entryId))
    if not userId then
      redis.call('ZREM', line, entryId)
      redis.call('ZREM', k.line, entryId)
      redis.call('HDEL', k.entries, entryId)
      return nil
    end
    local holds, value, seatIds = k.holdsPrefix .. userId, heldState(userId, a.offerUntil), {}
    for _, seat in ipairs(bestFree(category, quantity)) do
      local seatId = seat[1]
      redis.call('HSET', k.state, seatId, value)
      redis.call('ZREM', k.freePrefix .. seat[3], seatId)
      redis.call('ZADD', holds, a.offerUntil, seatId)
      redis.call('ZADD', k.expiries, a.offerUntil, seatId)
      redis.call('HSET', k.offers, seatId, userId .. '|' .. entryId .. '|' .. a.offerUntil)
      announce(seatId, 'held')
      offered[seatId] = true
      seatIds[#seatIds + 1] = seatId
    end
    redis.call('PEXPIREAT', holds, tonumber(a.offerUntil) + 60000, 'NX')
    redis.call('PEXPIREAT', holds, tonumber(a.offerUntil) + 60000, 'GT')
    leaveLine(entryId, userId, quantity, category)
    local notice = fill(fill(a.offerNotice, '"\\u0001S"', cjson.encode(seatIds)), '"\\u0001E"', cjson.encode(entryId))
    redis.call('PUBLISH', a.userChannelPrefix .. userId, notice)
    return { userId, entryId, unpack(seatIds) }
  end

  -- Frees the seats (their state entries go, whatever they were) and makes every offer that fits now.
  local function free(seatIds)
    local touched, offers, offered = {}, {}, {}
    for _, seatId in ipairs(seatIds) do
      local category, order = seatMeta(redis.call('HGET', k.meta, seatId))
      -- An event created before venues has no seat-meta until its migration, which builds the free sets itself.
      if category then
        redis.call('ZADD', k.freePrefix .. category, order, seatId)
        touched[category] = true
      end
      redis.call('HDEL', k.state, seatId)
      redis.call('HDEL', k.offers, seatId)
      redis.call('ZREM', k.expiries, seatId)
    end
    -- Nobody waiting (the usual case): no line to look through.
    if next(touched) and redis.call('EXISTS', k.line) == 1 then
      touched[''] = true
      for _ = 1, 10000 do
        local entryId, line = firstFitting(touched)
        if not entryId then
          break
        end
        offers[#offers + 1] = offer(entryId, line, offered)
      end
    end
    for _, seatId in ipairs(seatIds) do
      if not offered[seatId] then
        announce(seatId, 'available')
      end
    end
    return offers
  end

  return announce, free, bestFree, freeCount, leaveLine
end
