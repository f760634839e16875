-- Free one concurrency slot; never below zero. KEYS: in-flight counter.
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
if value > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
