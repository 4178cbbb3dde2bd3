--[[
  Takes one account out of the admins, unless it is the last one. The admin index is the count that decides:
  every demotion of an admin passes through this script on that one key, so of two admins demoting each other at
  the same moment exactly one succeeds. An account is added to the index only after its hash says admin and taken
  out (here) before its hash says otherwise, so the index never counts more admins than there are.

  An admin missing from the index (a crash between its hash write and its ZADD, data older than the index) would
  otherwise be demoted unguarded. So when the caller read the account's hash as admin (ARGV[2] = '1') the member is
  put back first, in this same step, and the usual rule applies: it leaves only when another admin is counted, and
  when it is the last one it stays in the index (the index is repaired) and the demotion is refused.

  KEYS[1]  the admin index (sorted set, members "<createdAt, 15 digits>:<userId>")
  ARGV[1]  the account's member
  ARGV[2]  '1' when the account's hash says admin, '0' otherwise

  Returns: 1 removed, 0 not an admin and not in the index (nothing to guard), -1 it is the last admin (nothing
  removed)
]]
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  if ARGV[2] ~= '1' then
    return 0
  end
  redis.call('ZADD', KEYS[1], 0, ARGV[1])
end
if redis.call('ZCARD', KEYS[1]) <= 1 then
  return -1
end
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
