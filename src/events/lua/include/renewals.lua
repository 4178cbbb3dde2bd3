-- Renewal counting of the hold script (`--!include renewals`). The event's renewal-count hash holds
-- seatId -> "<userId>|<renewals>|<expiresAtMs>|<requestToken>" (the one definition of that format). A hold by the same
-- user before the previous hold's expiresAt + one hold time (released early or not) is a renewal; a re-sent command
-- (ioredis, after a reconnect) carries the same token and is counted once.
-- renewalsOf(renewalsKey, seats, userId, token, holdMs, now, maxRenewals) -> the count each seat will have, the seats
-- past the limit.   renewalEntry(userId, renewals, expiresAt, token) -> the stored value
local function renewalsOf(renewalsKey, seats, userId, token, holdMs, now, maxRenewals)
  local rows = redis.call('HMGET', renewalsKey, unpack(seats))
  local renewals, tired = {}, {}
  for i, seatId in ipairs(seats) do
    local holder, count, ended, last = string.match(rows[i] or '', '^([^|]+)|(%d+)|(%d+)|(.*)$')
    renewals[i] = 0
    if holder == userId and last == token then
      renewals[i] = tonumber(count)
    elseif holder == userId and tonumber(ended) + holdMs > now then
      renewals[i] = tonumber(count) + 1
      if renewals[i] > maxRenewals then
        tired[#tired + 1] = seatId
      end
    end
  end
  return renewals, tired
end

local function renewalEntry(userId, renewals, expiresAt, token)
  return userId .. '|' .. renewals .. '|' .. expiresAt .. '|' .. token
end

-- Sets a key to expire at `at` unless it already expires later: a late re-sent command or an instance with a slower
-- clock never shortens it. NX covers a key created without a TTL just now (GT alone takes that for "never expires").
local function expireNotBefore(key, at)
  redis.call('PEXPIREAT', key, at, 'NX')
  redis.call('PEXPIREAT', key, at, 'GT')
end
