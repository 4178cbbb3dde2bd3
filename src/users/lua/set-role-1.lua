--[[
  Changes the role of an existing user, and only of an existing one (a plain HSET would create a
  half-user out of a deleted or unknown id).

  KEYS[1]  user hash
  ARGV[1]  new role

  Returns: the previous role, or false when the user does not exist.
]]
local previous = redis.call('HGET', KEYS[1], 'role')
if not previous then
  return false
end
redis.call('HSET', KEYS[1], 'role', ARGV[1])
return previous
