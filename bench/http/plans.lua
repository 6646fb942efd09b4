-- wrk script for the Hanaro HTTP benchmark (bench/http/run.py drives it).
--
--   wrk -t2 -c32 -d15s -s bench/http/plans.lua http://127.0.0.1:8000/v1/plans -- bodies.jsonl
--
-- Cycles through the request bodies in the JSON-lines file given after `--` (one JSON document
-- per line, written by run.py from the golden personas), POSTing each to the URL's path with
-- Content-Type application/json. Each thread starts at a different offset so the connections
-- do not send the same household in lockstep.
--
-- done() prints one machine-readable line on stdout:
--   WRK_RESULT {"requests":N,"duration_s":S,"rps":R,"p50_ms":..,"p90_ms":..,"p99_ms":..,
--               "max_ms":..,"non2xx":N,"socket_errors":N,"bytes":N}
-- and exits with status 1 if any response was not 2xx/3xx (wrk's own count; the API never
-- redirects these POSTs, so that is every non-2xx) or any socket error happened.

local bodies_file = nil
local requests = {}
local index = 0

local thread_counter = 0
function setup(thread)
  thread:set("thread_id", thread_counter)
  thread_counter = thread_counter + 1
end

local function read_bodies(path)
  local f = io.open(path, "r")
  if f == nil then
    io.stderr:write("plans.lua: cannot open bodies file '" .. tostring(path) .. "'\n")
    os.exit(2)
  end
  local found = {}
  for line in f:lines() do
    if line:match("%S") then
      found[#found + 1] = line
    end
  end
  f:close()
  return found
end

function init(args)
  bodies_file = args[1]
  if bodies_file == nil then
    io.stderr:write("plans.lua: pass the bodies file after --\n")
    os.exit(2)
  end
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
  for _, body in ipairs(read_bodies(bodies_file)) do
    requests[#requests + 1] = wrk.format("POST", wrk.path, headers, body)
  end
  if #requests == 0 then
    io.stderr:write("plans.lua: no bodies in '" .. bodies_file .. "'\n")
    os.exit(2)
  end
  -- spread the threads over the mix (thread_id is set by setup() before init runs)
  index = ((thread_id or 0) * 7) % #requests
end

function request()
  index = index + 1
  if index > #requests then
    index = 1
  end
  return requests[index]
end

function done(summary, latency, _)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
  local function ms(p)
    return latency:percentile(p) / 1000.0
  end
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.2f,"p50_ms":%.3f,"p90_ms":%.3f,'
      .. '"p99_ms":%.3f,"max_ms":%.3f,"non2xx":%d,"socket_errors":%d,"bytes":%d}\n',
    summary.requests, seconds, summary.requests / seconds, ms(50), ms(90), ms(99),
    latency.max / 1000.0, errors.status, socket_errors, summary.bytes
  ))
  if errors.status > 0 or socket_errors > 0 then
    io.stderr:write(string.format(
      "plans.lua: FAILED: %d non-2xx responses, %d socket errors\n", errors.status, socket_errors
    ))
    os.exit(1)
  end
end
