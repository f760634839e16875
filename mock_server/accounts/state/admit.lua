-- Admission of one request for one account, atomically: the Lua twin of limits.admit.
-- KEYS: in-flight lease set, minute log, minute token sum, day log, day token sum
-- ARGV: now (seconds), tokens, concurrency, rpm, tpm, tpd (-1 = unlimited), lease id, lease
-- seconds. A concurrency slot is a lease (a sorted-set member scored by its expiry on Redis's
-- own clock): one whose request stopped refreshing it (a crash, an outage) expires by itself.
-- Log entries are "time:tokens", oldest first. Returns {kind, current, limit, retry_after}
-- with kind 0 ok, 1 concurrency, 2 rpm, 3 tpm, 4 tpd (as limits.Verdict).
local now = tonumber(ARGV[1])
local tokens = tonumber(ARGV[2])
local concurrency, rpm = tonumber(ARGV[3]), tonumber(ARGV[4])
local tpm, tpd = tonumber(ARGV[5]), tonumber(ARGV[6])
local lease, lease_seconds = ARGV[7], tonumber(ARGV[8])
local MINUTE, DAY = 60, 86400
local t = redis.call('TIME')
local real_now = tonumber(t[1]) + tonumber(t[2]) / 1e6

local function parse(entry)
  local sep = string.find(entry, ':', 1, true)
  return tonumber(string.sub(entry, 1, sep - 1)), tonumber(string.sub(entry, sep + 1))
end

local function number(key)
  return tonumber(redis.call('GET', key) or '0')
end

local function evict(log, sum, span)
  while true do
    local head = redis.call('LINDEX', log, 0)
    if not head then return end
    local at, n = parse(head)
    if at > now - span then return end
    redis.call('LPOP', log)
    redis.call('DECRBY', sum, string.format('%d', n))
  end
end

local function seconds(value)
  local s = math.ceil(value - 1e-9)
  if s < 1 then return 1 end
  return s
end

local function wait_requests(log, span, excess)
  if excess <= 0 or excess > redis.call('LLEN', log) then return span end
  local at = parse(redis.call('LINDEX', log, excess - 1))
  return seconds(at + span - now)
end

local function wait_tokens(log, span, excess)
  local freed = 0
  for _, entry in ipairs(redis.call('LRANGE', log, 0, -1)) do
    local at, n = parse(entry)
    freed = freed + n
    if freed >= excess then return seconds(at + span - now) end
  end
  return span
end

evict(KEYS[2], KEYS[3], MINUTE)
evict(KEYS[4], KEYS[5], DAY)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.6f', real_now))
local in_flight = redis.call('ZCARD', KEYS[1])
local requests = redis.call('LLEN', KEYS[2])
local minute_tokens, day_tokens = number(KEYS[3]), number(KEYS[5])

if concurrency >= 0 and in_flight >= concurrency then
  return {1, in_flight + 1, concurrency, 1}
end
if rpm >= 0 and requests >= rpm then
  return {2, requests + 1, rpm, wait_requests(KEYS[2], MINUTE, requests - rpm + 1)}
end
if tpm >= 0 and minute_tokens + tokens > tpm then
  local current = minute_tokens + tokens
  return {3, current, tpm, wait_tokens(KEYS[2], MINUTE, current - tpm)}
end
if tpd >= 0 and day_tokens + tokens > tpd then
  local current = day_tokens + tokens
  return {4, current, tpd, wait_tokens(KEYS[4], DAY, current - tpd)}
end

redis.call('ZADD', KEYS[1], string.format('%.6f', real_now + lease_seconds), lease)
local entry = ARGV[1] .. ':' .. ARGV[2]
if rpm >= 0 or tpm >= 0 then
  redis.call('RPUSH', KEYS[2], entry)
  redis.call('INCRBY', KEYS[3], ARGV[2])
  requests = requests + 1
end
if tpd >= 0 then
  redis.call('RPUSH', KEYS[4], entry)
  redis.call('INCRBY', KEYS[5], ARGV[2])
end
local limit = rpm
if limit < 0 then limit = 0 end
return {0, requests, limit, wait_requests(KEYS[2], MINUTE, 1)}
