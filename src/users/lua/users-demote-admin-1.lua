--[[
  Takes one account out of the admins, unless it is the last one. The admin index is the count that decides:
  every demotion of an admin passes through this script on that one key, so of two admins demoting each other at
  the same moment exactly one succeeds. An account is added to the index only after its hash says admin and taken
  out (here) before its hash says otherwise, so the index never counts more admins than there are.

  KEYS[1]  the admin index (sorted set, members "<createdAt, 15 digits>:<userId>")
  ARGV[1]  the account's member

  Returns: 1 removed, 0 the account is not in the index (nothing to guard), -1 it is the last admin (nothing changed)
]]
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 0
end
if redis.call('ZCARD', KEYS[1]) <= 1 then
  return -1
end
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
