--[[
  Claims an Idempotency-Key for one request, or tells what became of it.

  KEYS[1]  the key's record hash {state, fingerprint, owner, status, headers, body}
  ARGV[1]  request fingerprint (method, path, body)
  ARGV[2]  owner: a token unique to this request (a re-delivered command sees its own claim)
  ARGV[3]  lock lifetime in ms (a claim whose process died frees itself)

  Returns: {0}                          claimed: run the request
           {1, status, headers, body}   done before: replay this answer
           {-1}                         the key was used for a different request
           {-2}                         another request with this key is still running
]]
local record = redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'owner', 'status', 'headers', 'body')
local state, fingerprint, owner = record[1], record[2], record[3]
if not state then
  redis.call('HSET', KEYS[1], 'state', 'running', 'fingerprint', ARGV[1], 'owner', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return { 0 }
end
if fingerprint ~= ARGV[1] then
  return { -1 }
end
if state == 'running' then
  if owner == ARGV[2] then
    return { 0 }
  end
  return { -2 }
end
return { 1, record[4], record[5], record[6] }
