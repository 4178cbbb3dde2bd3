-- Best-available picking (`--!include best-seats`, after seat-meta and renewals): the free sets of the categories
-- asked for are read together in best-available order (their scores are the seats' `order` over the whole event),
-- one window of orders at a time, so a request stops reading soon after the first seats that satisfy it.
-- picker(quantity, adjacent) -> add(seatId, order, rowKey, position) -> the picked seat ids once complete, else nil.
--   Not adjacent: the first `quantity` seats added. Adjacent: the first run of `quantity` consecutive positions in one
--   row completed, i.e. the run whose worst seat is best; of the runs the last seat completes, the one whose orders
--   add up lowest.
-- scanFree(freePrefix, categories, quantity, each(batch) -> done, budget): calls `each` with
--   {{seatId, order, categoryId}, ...} in order, window by window (from the next free seat on, 8 x quantity orders wide
--   at first, doubling up to 4096), until it answers true, no free seat is left, or `budget` seats were read (review 1:
--   a request never reads more, so one call's Redis time is bounded whatever the venue; answers true then).
local function picker(quantity, adjacent)
  local picked, rows = {}, {}
  return function(seatId, order, row, position)
    if not adjacent then
      picked[#picked + 1] = seatId
      return #picked == quantity and picked or nil
    end
    rows[row] = rows[row] or {}
    local seats = rows[row]
    seats[position] = { seatId, order }
    local left, right = position, position
    while seats[left - 1] do
      left = left - 1
    end
    while seats[right + 1] do
      right = right + 1
    end
    if right - left + 1 < quantity then
      return nil
    end
    local best, bestSum
    for start = math.max(left, position - quantity + 1), math.min(position, right - quantity + 1) do
      local sum = 0
      for p = start, start + quantity - 1 do
        sum = sum + seats[p][2]
      end
      if not bestSum or sum < bestSum then
        best, bestSum = start, sum
      end
    end
    for p = best, best + quantity - 1 do
      picked[#picked + 1] = seats[p][1]
    end
    return picked
  end
end

local function scanFree(freePrefix, categories, quantity, each, budget)
  local window, low = math.max(32, quantity * 8), '-inf'
  while true do
    if budget <= 0 then
      return true
    end
    -- The next free seat's order from `low` on: gaps of taken seats are skipped, not read window by window.
    local first
    for _, c in ipairs(categories) do
      local top = redis.call('ZRANGEBYSCORE', freePrefix .. c, low, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
      if top[2] and (not first or tonumber(top[2]) < first) then
        first = tonumber(top[2])
      end
    end
    if not first then
      return
    end
    local high = first + window
    local batch = {}
    for _, c in ipairs(categories) do
      local rows = redis.call('ZRANGEBYSCORE', freePrefix .. c, first, '(' .. high, 'WITHSCORES', 'LIMIT', 0, budget)
      for i = 1, #rows, 2 do
        batch[#batch + 1] = { rows[i], tonumber(rows[i + 1]), c }
      end
    end
    table.sort(batch, function(x, y) return x[2] < y[2] end)
    if #batch > budget then
      -- Several categories each read up to the budget: keep the best `budget` of them (and read no further).
      batch = { unpack(batch, 1, budget) }
      high = batch[#batch][2] + 1
    end
    budget = budget - #batch
    if each(batch) then
      return
    end
    low, window = high, math.min(window * 2, 4096)
  end
end
