-- Extend the leases of requests still running in this process (a heartbeat). A lease that is
-- gone (given back, or cleared by a reset) stays gone.
-- KEYS: each lease's account set. ARGV: lease seconds, then one lease id per key.
local t = redis.call('TIME')
local expiry = tonumber(t[1]) + tonumber(t[2]) / 1e6 + tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', string.format('%.6f', expiry), ARGV[i + 1])
end
return #KEYS
