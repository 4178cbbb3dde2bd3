-- The category and price a seat is reserved with (events/venue.codec.ts has the formats: seat-meta's value starts
-- with "<categoryId>|", a category is JSON {"name", "price": {"amount", "currency"} or null}).
-- reservedPrices(seatMetaKey, categoriesKey) -> priceOf(seatId) -> categoryId, amount, currency (text; amount and
--   currency '' without a price; categoryId '' when the seat has no seat-meta yet: an event the venue migration has
--   not reached), or nil, categoryId when the stored category cannot be read (not JSON, no such category, a price
--   that is not {non-negative integer amount, three upper-case letters}). Each category is decoded once per call.
local function reservedPrices(seatMetaKey, categoriesKey)
  local prices = {}
  local function decode(categoryId)
    local stored = redis.call('HGET', categoriesKey, categoryId)
    if not stored then
      return nil
    end
    local ok, category = pcall(cjson.decode, stored)
    if not ok or type(category) ~= 'table' then
      return nil
    end
    local price = category.price
    if price == cjson.null or price == nil then
      return { '', '' }
    end
    if type(price) ~= 'table' or type(price.amount) ~= 'number' or price.amount < 0 or price.amount % 1 ~= 0 then
      return nil
    end
    if type(price.currency) ~= 'string' or not string.match(price.currency, '^%u%u%u$') then
      return nil
    end
    return { string.format('%.0f', price.amount), price.currency }
  end
  return function(seatId)
    local meta = redis.call('HGET', seatMetaKey, seatId)
    local categoryId = meta and string.match(meta, '^([%w_%-]+)|') or ''
    if categoryId == '' then
      return '', '', ''
    end
    if prices[categoryId] == nil then
      prices[categoryId] = decode(categoryId) or false
    end
    if not prices[categoryId] then
      return nil, categoryId
    end
    return categoryId, prices[categoryId][1], prices[categoryId][2]
  end
end

-- The `seat.reserved` event's seats and totals from the resolved {reservedAt, categoryId, amount, currency} of each
-- seat: seats = [{seatId, categoryId, price = {amount, currency} or null}], totals = [{amount, currency}] per currency
-- (amounts are numbers: receivers and the mail's money check read them as such; no prices: no totals, as Redis's
-- cjson would write an empty table as {}). categoryId '' is null.
local function reservedSeatsData(seatIds, resolved)
  local seats, totals, byCurrency = {}, {}, {}
  for n, seatId in ipairs(seatIds) do
    local categoryId, amount, currency = resolved[n][2], resolved[n][3], resolved[n][4]
    local price = cjson.null
    if amount ~= '' then
      price = { amount = tonumber(amount), currency = currency }
      if not byCurrency[currency] then
        byCurrency[currency] = { amount = 0, currency = currency }
        totals[#totals + 1] = byCurrency[currency]
      end
      byCurrency[currency].amount = byCurrency[currency].amount + price.amount
    end
    seats[n] = { seatId = seatId, categoryId = categoryId ~= '' and categoryId or cjson.null, price = price }
  end
  return seats, totals
end
