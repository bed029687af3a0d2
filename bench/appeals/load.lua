-- wrk script for bench/appeals: POSTs JSON bodies with unique Idempotency-Keys for `duration`
-- seconds per thread, then drains: only GET /bench/idle (writes nothing, answers 204) is sent
-- until every write this thread sent has its answer, and the thread stops. So no write is ever
-- abandoned in flight, and 2xx answers can be compared exactly with rows stored.
-- A thread also stops writing after MAX_WRITES (per thread), so a run is bounded in both.
-- BENCH_API_KEY from the environment, when set, is sent as the bearer key.
--   wrk -t1 -c16 -d<duration+grace>s -s load.lua http://127.0.0.1:PORT -- \
--       BODIES DURATION TAG PATH MAX_WRITES
local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]])
local clock_buffer = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(1, clock_buffer) -- CLOCK_MONOTONIC: comparable across threads
  return tonumber(clock_buffer.tv_sec) + tonumber(clock_buffer.tv_nsec) * 1e-9
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local templates = {}
local duration, tag, path, max_writes, idle_request, api_key
local deadline = nil
sent, answered, first_t, last_t, counts = 0, 0, 0, 0, {}

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then templates[#templates + 1] = line end
  end
  duration = tonumber(args[2])
  tag = args[3]
  path = args[4]
  max_writes = tonumber(args[5] or "1000000")
  idle_request = wrk.format("GET", "/bench/idle")
  api_key = os.getenv("BENCH_API_KEY") or ""
end

local function draining()
  return deadline ~= nil and (sent >= max_writes or now() >= deadline)
end

-- wrk calls request() once on the first thread before the run, only to check how many
-- requests the string holds (script_verify_request); that call must not count as sent.
local verified = false

function request()
  if tid == 1 and not verified then
    verified = true
    return idle_request
  end
  if deadline == nil then
    first_t = now()
    deadline = first_t + duration
  elseif draining() then
    return idle_request
  end
  sent = sent + 1
  local unique = tostring(tid) .. "-" .. tostring(sent)
  local body = string.gsub(templates[(sent - 1) % #templates + 1], "@SEQ@", unique)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = tag .. "-" .. unique,
  }
  if #api_key > 0 then headers["Authorization"] = "Bearer " .. api_key end
  return wrk.format("POST", path, headers, body)
end

function delay()
  if draining() then return 10 end
  return 0
end

function response(status, headers, body)
  if status ~= 204 then
    answered = answered + 1
    counts[tostring(status)] = (counts[tostring(status)] or 0) + 1
    last_t = now()
  end
  if answered >= sent and draining() then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total_counts, total_sent, total_answered = {}, 0, 0
  local start, finish = nil, 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    total_answered = total_answered + thread:get("answered")
    local first = thread:get("first_t")
    if first > 0 and (start == nil or first < start) then start = first end
    local last = thread:get("last_t")
    if last > finish then finish = last end
    for status, n in pairs(thread:get("counts")) do
      total_counts[status] = (total_counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total_counts) do
    parts[#parts + 1] = string.format('"%s": %d', status, n)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"generator": "wrk", "sent": %d, "answered": %d, "seconds": %.4f, '
      .. '"statuses": {%s}, "socket_errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d}, "latency_ms": {"p50": %.2f, "p90": %.2f, "p99": %.2f, "max": %.2f}}\n',
    total_sent, total_answered, (start and finish > start) and (finish - start) or 0,
    table.concat(parts, ", "), errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000
  ))
end
