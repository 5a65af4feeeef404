-- wrk script: liaisons sending leads (POST /api/v1/leads) as fast as they can. Every request has
-- its own Idempotency-Key, except every tenth, which repeats the request before it on that thread
-- (same key, same body): a retry after a lost answer, possibly while the first is still in flight.
-- Counts answers by status; `done` prints them for the caller to compare with the database.
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("LOAD_TOKEN")
  debtors = {}
  for id in string.gmatch(os.getenv("LOAD_DEBTORS"), "[^,]+") do table.insert(debtors, id) end
  counter, created, replayed, refused, last_key, last_body = 0, 0, 0, 0, nil, nil
  -- The id of every lead acknowledged, for the caller to find in the database.
  acknowledged = io.open(os.getenv("LOAD_OUT") .. "/acknowledged-" .. thread_id, "w")
end

function request()
  counter = counter + 1
  local key, body
  if counter % 10 == 0 and last_key then
    key, body = last_key, last_body
  else
    key = "load-" .. thread_id .. "-" .. counter
    local debtor = debtors[(counter % #debtors) + 1]
    body = '{"debtorId":"' .. debtor .. '","kind":"whereabouts","text":"负载测试线索 ' .. key .. '"}'
    last_key, last_body = key, body
  end
  return wrk.format("POST", "/api/v1/leads", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key,
  }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 200 then replayed = replayed + 1
  else refused = refused + 1 end
  if status == 201 or status == 200 then
    acknowledged:write(status, " ", string.match(body, '"id":"([0-9a-f-]+)"') or "?", "\n")
    acknowledged:flush()
  end
end

function done(summary, latency, requests)
  local c, r, x = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created"); r = r + thread:get("replayed"); x = x + thread:get("refused")
  end
  io.write(string.format("answers: %d created (201), %d retries answered with the first lead (200), %d other\n", c, r, x))
  io.write(string.format("latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests/s: %.0f over %.1f s (%d requests, %d socket errors)\n",
    summary.requests / (summary.duration / 1e6), summary.duration / 1e6, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("CREATED=%d\n", c))
end
