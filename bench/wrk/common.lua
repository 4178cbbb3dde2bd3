-- Shared by the bench's wrk scripts (see bench/wrk/README in docs/performance.md). wrk runs one Lua state per thread
-- and never says which connection a response belongs to, so every request carries an X-Request-Id (the service and
-- the baseline echo it) and its context waits in `pending` under that id. A step that must follow an answer (release
-- after hold, read after create) goes on `queue`; the next connection that is free sends it. So each flow stays
-- strictly sequential, and at most `connections` flows run at once, as in autocannon's per-connection request lists.
-- done() merges every thread's tallies and prints them as one JSON line after BENCH_JSON. wrk 4.1 copies only flat
-- tables between states (a nested one crashes it), so tallies are kept under "kind|status" style keys.
local ffi = require('ffi')
ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *tp);
]])
local ts = ffi.new('bench_timespec')
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

-- The same clock for scripts that time their own steps (CLOCK_MONOTONIC: one clock for every thread).
clock_us = now_us

-- Per-kind latency in buckets 1 % wide: bucket i holds [1.01^i, 1.01^(i+1)) µs.
local LOG_STEP = math.log(1.01)

counts = {} -- 'kind|status' -> n
latency = {} -- 'kind|bucket' -> n
extra = {} -- what a scenario collects for its checks (flat: strings or numbers)
pending = {} -- request id -> context
open = 0 -- requests sent and not answered (wrk calls request() once more, unsent, to check the script)
queue = {}
seq = 0
tid = 0
data = nil

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set('tid', #threads)
end

function init(args)
  data = dofile(args[1])
  math.randomseed(os.time() * 1000 + tid * 7919 + math.floor(now_us() % 1000))
  if scenario_init then scenario_init() end
end

function pick(list)
  return list[math.random(#list)]
end

-- A request of `kind` with its context; `follow(ctx, status, headers, body)` may queue the next step.
function send(kind, ctx, method, path, headers, body)
  seq = seq + 1
  local id = 'w' .. tid .. '-' .. seq
  ctx.kind = kind
  ctx.t0 = now_us()
  pending[id] = ctx
  open = open + 1
  headers = headers or {}
  headers['X-Request-Id'] = id
  return wrk.format(method, path, headers, body)
end

function later(step)
  queue[#queue + 1] = step
end

function request()
  local step = table.remove(queue, 1)
  if step then return step() end
  return start()
end

local function tally(kind, status, us)
  local key = kind .. '|' .. status
  counts[key] = (counts[key] or 0) + 1
  if us then
    local b = kind .. '|' .. math.floor(math.log(math.max(us, 1)) / LOG_STEP)
    latency[b] = (latency[b] or 0) + 1
  end
end

function response(status, headers, body)
  local id = headers['x-request-id'] or headers['X-Request-Id']
  local ctx = id and pending[id]
  if not ctx then
    tally('unmatched', status)
    return
  end
  pending[id] = nil
  open = open - 1
  tally(ctx.kind, status, now_us() - ctx.t0)
  if follow then follow(ctx, status, headers, body) end
end

local function encode(value)
  local t = type(value)
  if t == 'number' then
    if value ~= value or value == math.huge or value == -math.huge then return 'null' end
    if value == math.floor(value) then return string.format('%d', value) end
    return string.format('%.17g', value)
  elseif t == 'string' then
    return '"' .. value:gsub('[%c"\\]', function(c) return string.format('\\u%04x', c:byte()) end) .. '"'
  elseif t == 'boolean' then
    return tostring(value)
  elseif t == 'table' then
    local parts = {}
    if #value > 0 then
      for _, v in ipairs(value) do parts[#parts + 1] = encode(v) end
      return '[' .. table.concat(parts, ',') .. ']'
    end
    for k, v in pairs(value) do parts[#parts + 1] = encode(tostring(k)) .. ':' .. encode(v) end
    return '{' .. table.concat(parts, ',') .. '}'
  end
  return 'null'
end

local function add(into, from)
  for k, n in pairs(from) do into[k] = (into[k] or 0) + n end
end

function done(summary, lat, _)
  -- The request() call wrk makes on the first thread to check the script is never sent.
  local all = { counts = {}, latencyBuckets = {}, extra = {}, unanswered = -1 }
  for i, thread in ipairs(threads) do
    add(all.counts, thread:get('counts'))
    add(all.latencyBuckets, thread:get('latency'))
    all.unanswered = all.unanswered + thread:get('open')
    all.extra[i] = thread:get('extra')
  end
  all.summary = {
    requests = summary.requests,
    durationUs = summary.duration,
    bytes = summary.bytes,
    errors = summary.errors,
  }
  all.latency = { p50 = lat:percentile(50), p99 = lat:percentile(99), max = lat.max, mean = lat.mean }
  io.write('BENCH_JSON ' .. encode(all) .. '\n')
end
