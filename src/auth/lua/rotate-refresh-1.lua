--[[
  Rotates a refresh-token family: the presented token must be the current one, or the previous one within the reuse
  grace after the rotation that spent it (its answer was lost: a reload, a dropped connection).

  KEYS[1]  refresh family hash {userId, current, previous, rotatedAt, revoked}
  ARGV[1]  hash of the presented token
  ARGV[2]  hash of the token that replaces it
  ARGV[3]  family lifetime in seconds (sliding)
  ARGV[4]  now, ms since the epoch (the service's clock)
  ARGV[5]  reuse grace in ms (0: only the current token rotates)

  A rotation of the current token sets previous and rotatedAt. A rotation of the previous token within the grace only
  replaces current: previous and rotatedAt stay, so using it again does not extend the window, and the successor it
  replaces is neither current nor previous any more (presented later, it revokes).

  Returns: {1, userId} rotated (or the same rotation applied again)
           {-1} no such family (unknown or expired)
           {-2} family already revoked
           {-3} token reuse detected: the family is revoked now
]]
local state = redis.call('HMGET', KEYS[1], 'userId', 'current', 'previous', 'rotatedAt', 'revoked')
local userId, current, previous, rotatedAt, revoked = state[1], state[2], state[3], state[4], state[5]
if not userId then
  return {-1}
end
if revoked == '1' then
  return {-2}
end
if current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'current', ARGV[2], 'previous', ARGV[1], 'rotatedAt', ARGV[4])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return {1, userId}
end
-- The same command delivered twice (either kind of rotation): it already moved current to ARGV[2].
if previous == ARGV[1] and current == ARGV[2] then
  return {1, userId}
end
-- Within the grace only: 0 is strict, and a clock behind the one that rotated (a negative age) is no grace either,
-- so a lagging instance cannot stretch the window.
local grace, age = tonumber(ARGV[5]), rotatedAt and (tonumber(ARGV[4]) - tonumber(rotatedAt))
if previous == ARGV[1] and grace > 0 and age and age >= 0 and age < grace then
  redis.call('HSET', KEYS[1], 'current', ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return {1, userId}
end
redis.call('HSET', KEYS[1], 'revoked', '1')
return {-3}
