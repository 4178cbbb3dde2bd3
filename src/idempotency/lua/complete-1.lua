--[[
  Stores the answer of a claimed request for replay. Only the claim's owner may complete it: a claim that expired
  and was taken by a retry is not overwritten.

  KEYS[1]  the key's record hash
  ARGV[1]  owner token    ARGV[2]  status    ARGV[3]  headers (JSON)    ARGV[4]  body
  ARGV[5]  how long to keep the answer, in ms

  Returns: 1 stored, 0 not the owner any more
]]
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'done', 'status', ARGV[2], 'headers', ARGV[3], 'body', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
