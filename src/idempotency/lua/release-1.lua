--[[
  Gives up a claim whose request failed, so that a retry with the same key runs the request again.

  KEYS[1]  the key's record hash
  ARGV[1]  owner token

  Returns: 1 released, 0 not ours or already done
]]
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'running' then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
