-- The shared virtual time: the latest of the stored time and this process's time.
-- KEYS: clock. ARGV: this process's now. Returns the time as a string (keeps the fraction).
local stored = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = math.max(stored, tonumber(ARGV[1]))
local text = string.format('%.6f', now)
redis.call('SET', KEYS[1], text)
return text
