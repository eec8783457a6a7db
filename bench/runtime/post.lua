-- wrk script: posts a distinct account to the pipeline webhook per request (bench/runtime).
-- LIMIT (environment) stops posting after that many per thread and sends cheap health GETs
-- instead, so a run of fixed size can be driven by wrk's duration.
local counter = 0
local limit = tonumber(os.getenv("LIMIT") or "0")
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  if limit > 0 and counter > limit then
    return wrk.format("GET", "/api/health")
  end
  local id = string.format("W%02d%07d", thread_id, counter)
  local body = string.format(
    '{"id":"%s","name":"Wrk Co %s","amount":%d,"rev":1}', id, id, 100 + counter)
  return wrk.format("POST", wrk.path, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 202 and status ~= 200 and status ~= 503 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
