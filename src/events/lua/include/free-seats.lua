-- Seats becoming free, and the waiting line's offers (`--!include free-seats`, after seat-state, seat-meta, announce
-- and outbox/outbox). Every script that frees a seat (release, lapse, cancellation) frees it here: the first entry of the line
-- that fits is offered the best free seats of its category at once, as a hold of theirs, before anyone else can
-- take them; otherwise the seat goes back into its category's free set (score: its order), the best-available index.
-- Formats (defined here once; events/waitlist.codec.ts is the TypeScript definition):
--   line entry  "<userId>|<quantity>|<categoryId>|<joinedAtMs>"  (categoryId empty: any seat of the event)
--   offer       "<userId>|<entryId>|<expiresAtMs>"
-- An entry fits when its category (or, for the whole event, all categories together) has at least `quantity` free
-- seats; among those, the one that joined first (lowest score in the line) is offered first.
-- seatFreeing() -> announce, free(seatIds, lapsed) -> offers {{userId, entryId, seatId...}, ...}, freeCount(category)
-- lapsed (optional): seatId -> {holder, expiresAt} of the seats that are lapsed holds: each is a `hold.expired` event
-- in the event's outbox. Each offer is a `waitlist.offered` event there (webhooks/webhook-payloads.ts has both).
-- Built for what the usual call needs: the line's helpers are made only when someone waits (every function made is
-- made again on every run of a script, and the hold path pays for each; docs/performance.md).
-- Every script that includes it starts with the same KEYS and ARGV (the "freeing layout"):
--   KEYS[1] seat-state   KEYS[2] change counter   KEYS[3] change log   KEYS[4] hold expiries   KEYS[5] seat-meta
--   KEYS[6] free-set prefix ("...:free:", + categoryId)   KEYS[7] categories   KEYS[8] offers   KEYS[9] the line
--   KEYS[10] line entries   KEYS[11] line users (userId -> entryId)   KEYS[12] per-quantity line prefix
--   ("...:waitlist-of:", + "<quantity>:<categoryId>")   KEYS[13] per-user holds prefix ("...:holds-of:", + userId)
--   KEYS[14] the event's outbox (stream; outbox/lua/include/outbox.lua)   KEYS[15] the event (hash: createdBy, name)
--   ARGV[1] now (ms)   ARGV[2] seat pub/sub channel   ARGV[3] event id   ARGV[4] now as ISO text
--   ARGV[5] an offer's expiresAt (ms)   ARGV[6] user channel prefix (+ userId)
--   ARGV[7] an offer's expiresAt as ISO text (the waitlist.offered user event is built here, only when an offer is
--   made: sending it encoded cost every hold and release about 250 bytes; docs/performance.md)
--   ARGV[8] most seats one user may hold (MAX_HOLDS_PER_USER): an offer never takes a user past it
-- Offers (review): none once the event has started (its startsAt, read from KEYS[15] only when someone waits), and
-- an offer is held until its expiresAt or the event's start, whichever is first; an entry whose user would hold
-- more than ARGV[8] seats with the offer, or whose user is freeing seats in this very call (a release, a
-- cancellation, their own lapsed hold), is passed over for this call and keeps its place.
local function lineEntry(value)
  local userId, quantity, category = string.match(value or '', '^([^|]+)|(%d+)|([^|]*)|%d+$')
  return userId, tonumber(quantity), category
end

-- The waitlist.offered user event, as live-events.ts' encodeUserEvent would encode it (same fields, same order).
local function offeredNotice(at, eventId, entryId, seatIds, expiresAt)
  return '{"type":"waitlist.offered","at":' .. cjson.encode(at) .. ',"eventId":' .. cjson.encode(eventId)
    .. ',"entryId":' .. cjson.encode(entryId) .. ',"seatIds":' .. cjson.encode(seatIds)
    .. ',"expiresAt":' .. cjson.encode(expiresAt) .. '}'
end

-- The waitlist.offered outbox event's data: what mail's template and webhook receivers read (seat ids, and per seat
-- its category's id, name and current price; the event's name and start; until when the seats are held).
local function offeredEvent(entryId, userId, picked, expiresAtIso)
  local event = redis.call('HMGET', KEYS[15], 'name', 'startsAt', 'createdBy')
  local names, seats, seatIds = {}, {}, {}
  for i, seat in ipairs(picked) do
    local c = seat[3]
    if names[c] == nil then
      local ok, decoded = pcall(cjson.decode, redis.call('HGET', KEYS[7], c) or '')
      names[c] = (ok and type(decoded) == 'table') and decoded or false
    end
    local category = names[c] or {}
    local price = type(category.price) == 'table' and category.price or cjson.null
    seatIds[i] = seat[1]
    seats[i] = { seatId = seat[1], categoryId = c, categoryName = category.name or cjson.null, price = price }
  end
  local startsAt = tonumber(event[2])
  local data = cjson.encode({ eventId = ARGV[3], eventName = event[1] or cjson.null, userId = userId,
    entryId = entryId, seatIds = seatIds, seats = seats, expiresAt = expiresAtIso,
    startsAt = startsAt and outboxTime(startsAt) or cjson.null })
  outboxAppend(KEYS[14], 'waitlist.offered', ARGV[3] .. '/' .. entryId, ARGV[1], data, userId, event[3] or '')
end

-- The best n free seats of a category ('' : the whole event): {seatId, order, categoryId} in order, fewer when
-- fewer are free. The free index is trusted only with its seats' states read, as in hold-best-17.lua: a candidate
-- that has a state (index drift, which the integrity check reports) is dropped from its free set and the pick is
-- made again, so an offer never overwrites someone's hold or reservation.
local function bestFree(categories, n)
  while true do
    local pool = {}
    for _, c in ipairs(categories) do
      local rows = redis.call('ZRANGE', KEYS[6] .. c, 0, n - 1, 'WITHSCORES')
      for i = 1, #rows, 2 do
        pool[#pool + 1] = { rows[i], tonumber(rows[i + 1]), c }
      end
    end
    table.sort(pool, function(x, y) return x[2] < y[2] end)
    local picked, ids = { unpack(pool, 1, math.min(n, #pool)) }, {}
    if #picked == 0 then
      return picked
    end
    for i, seat in ipairs(picked) do
      ids[i] = seat[1]
    end
    local states, drifted = redis.call('HMGET', KEYS[1], unpack(ids)), false
    for i, seat in ipairs(picked) do
      if states[i] then
        redis.call('ZREM', KEYS[6] .. seat[3], seat[1])
        drifted = true
      end
    end
    if not drifted then
      return picked
    end
  end
end

local function seatFreeing()
  local announce = seatChanges(KEYS[2], KEYS[3], ARGV[2], ARGV[3], ARGV[4])
  local function categoriesOf(category)
    if category ~= '' then
      return { category }
    end
    return redis.call('HKEYS', KEYS[7])
  end

  local function freeCount(category)
    local n = 0
    for _, c in ipairs(categoriesOf(category)) do
      n = n + redis.call('ZCARD', KEYS[6] .. c)
    end
    return n
  end

  -- The line's helpers, made only when someone waits.
  local function lineOffers()
    local function leaveLine(entryId, userId, quantity, category)
      redis.call('ZREM', KEYS[9], entryId)
      redis.call('ZREM', KEYS[12] .. quantity .. ':' .. category, entryId)
      redis.call('HDEL', KEYS[10], entryId)
      if redis.call('HGET', KEYS[11], userId) == entryId then
        redis.call('HDEL', KEYS[11], userId)
      end
    end

    -- The entry that joined first among those the free seats of the touched categories (and the whole event) fit.
    -- Entries passed over in this call (passed[entryId]) are skipped: each line is read as far as it holds passed ones.
    local function firstFitting(touched, passed, passedCount)
      local best, bestPlace, bestLine
      for category in pairs(touched) do
        for quantity = 1, math.min(10, freeCount(category)) do
          local line = KEYS[12] .. quantity .. ':' .. category
          local head = redis.call('ZRANGE', line, 0, passedCount, 'WITHSCORES')
          for i = 1, #head, 2 do
            if not passed[head[i]] then
              if not bestPlace or tonumber(head[i + 1]) < bestPlace then
                best, bestPlace, bestLine = head[i], tonumber(head[i + 1]), line
              end
              break
            end
          end
        end
      end
      return best, bestLine
    end

    -- Offers the entry its seats; an entry that cannot be read (the integrity check's waitlist-entry-invalid) leaves
    -- the line instead, so that one bad entry never fails the script that frees a seat.
    -- Answers nil, true for an entry passed over (it keeps its place).
    local function offer(entryId, line, offered, freers, offerUntil, offerUntilIso)
      local userId, quantity, category = lineEntry(redis.call('HGET', KEYS[10], entryId))
      if not userId then
        redis.call('ZREM', line, entryId)
        redis.call('ZREM', KEYS[9], entryId)
        redis.call('HDEL', KEYS[10], entryId)
        return nil
      end
      if freers[userId] then
        return nil, true
      end
      local live = redis.call('ZCOUNT', KEYS[13] .. userId, '(' .. ARGV[1], '+inf')
      if live + quantity > tonumber(ARGV[8]) then
        return nil, true
      end
      local holds, value, seatIds = KEYS[13] .. userId, heldState(userId, offerUntil), {}
      local picked = bestFree(categoriesOf(category), quantity)
      -- Fewer than asked: the free sets counted seats that were not free (repaired just now); the entry waits on.
      if #picked < quantity then
        return nil, true
      end
      for _, seat in ipairs(picked) do
        local seatId = seat[1]
        redis.call('HSET', KEYS[1], seatId, value)
        redis.call('ZREM', KEYS[6] .. seat[3], seatId)
        redis.call('ZADD', holds, offerUntil, seatId)
        redis.call('ZADD', KEYS[4], offerUntil, seatId)
        redis.call('HSET', KEYS[8], seatId, userId .. '|' .. entryId .. '|' .. offerUntil)
        announce(seatId, 'held')
        offered[seatId] = true
        seatIds[#seatIds + 1] = seatId
      end
      redis.call('PEXPIREAT', holds, tonumber(offerUntil) + 60000, 'NX')
      redis.call('PEXPIREAT', holds, tonumber(offerUntil) + 60000, 'GT')
      leaveLine(entryId, userId, quantity, category)
      redis.call('PUBLISH', ARGV[6] .. userId, offeredNotice(ARGV[4], ARGV[3], entryId, seatIds, offerUntilIso))
      offeredEvent(entryId, userId, picked, offerUntilIso)
      return { userId, entryId, unpack(seatIds) }
    end

    return firstFitting, offer
  end

  -- Frees the seats (their state entries go, whatever they were) and makes every offer that fits now.
  local function free(seatIds, lapsed, freer)
    local touched, offers, offered, freers = {}, {}, {}, {}
    if freer then
      freers[freer] = true
    end
    if lapsed then
      local owners = redis.call('HGET', KEYS[15], 'createdBy') or ''
      for _, seatId in ipairs(seatIds) do
        local hold = lapsed[seatId]
        if hold then
          freers[hold[1]] = true
          outboxAppend(KEYS[14], 'hold.expired', ARGV[3] .. '/' .. seatId .. '/' .. hold[2], ARGV[1],
            cjson.encode({ eventId = ARGV[3], seatId = seatId, userId = hold[1] }), hold[1], owners)
        end
      end
    end
    for _, seatId in ipairs(seatIds) do
      -- The deletion first: Redis out of memory refuses a script only at its first write that adds data, so a script
      -- whose first write frees memory runs whole (a release still goes through; docs/reliability.md).
      redis.call('HDEL', KEYS[1], seatId)
      local category, order = seatMeta(redis.call('HGET', KEYS[5], seatId))
      -- An event created before venues has no seat-meta until its migration, which builds the free sets itself.
      if category then
        redis.call('ZADD', KEYS[6] .. category, order, seatId)
        touched[category] = true
      end
      redis.call('HDEL', KEYS[8], seatId)
      redis.call('ZREM', KEYS[4], seatId)
    end
    -- Nobody waiting (the usual case): no line to look through.
    if next(touched) and redis.call('EXISTS', KEYS[9]) == 1 then
      local now, offerUntil, offerUntilIso = tonumber(ARGV[1]), ARGV[5], ARGV[7]
      local startsAt = tonumber(redis.call('HGET', KEYS[15], 'startsAt'))
      if startsAt and startsAt < tonumber(offerUntil) then
        offerUntil, offerUntilIso = string.format('%.0f', startsAt), outboxTime(startsAt)
      end
      if not startsAt or now < startsAt then
        touched[''] = true
        local firstFitting, offer = lineOffers()
        local passed, passedCount = {}, 0
        for _ = 1, 10000 do
          local entryId, line = firstFitting(touched, passed, passedCount)
          if not entryId then
            break
          end
          local made, pass = offer(entryId, line, offered, freers, offerUntil, offerUntilIso)
          if pass then
            passed[entryId], passedCount = true, passedCount + 1
          end
          offers[#offers + 1] = made
        end
      end
    end
    for _, seatId in ipairs(seatIds) do
      if not offered[seatId] then
        announce(seatId, 'available')
      end
    end
    return offers
  end

  return announce, free, freeCount
end
