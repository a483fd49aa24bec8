-- wrk script of the benches: counts answers by status and prints one JSON line (WRK_JSON ...) at the end.
-- Optional: WRK_PATHS names a file of request paths, one a line, to cycle through; WRK_BODY a file to POST,
-- as WRK_TYPE (default JSON), with the bearer token WRK_TOKEN (bench/check.py).
local threads = {}
local paths, index = nil, 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  local body = os.getenv("WRK_BODY")
  if body and body ~= "" then
    local file = assert(io.open(body, "rb"))
    wrk.method = "POST"
    wrk.body = file:read("*a")
    file:close()
    wrk.headers["Content-Type"] = os.getenv("WRK_TYPE") or "application/json"
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")
  end
  local file = os.getenv("WRK_PATHS")
  if file and file ~= "" then
    paths = {}
    for line in io.lines(file) do table.insert(paths, line) end
  end
end

function request()
  if paths then
    index = index % #paths + 1
    return wrk.format(nil, paths[index])
  end
  return wrk.format()
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[#counts + 1] = string.format('"%d": %d', status, n)
    end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, '
      .. '"errors": %d, "statuses": {%s}}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(counts, ", ")))
end
