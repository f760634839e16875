-- Debit an account atomically: voucher first (never negative), the rest from cash (may go
-- negative). The Lua twin of billing.debit. Amounts are integer nano-units.
-- KEYS: balance hash. ARGV: initial cash, initial voucher, amount (0 = just read).
redis.call('HSETNX', KEYS[1], 'cash', ARGV[1])
redis.call('HSETNX', KEYS[1], 'voucher', ARGV[2])
local amount = tonumber(ARGV[3])
local voucher = tonumber(redis.call('HGET', KEYS[1], 'voucher'))
local from_voucher = math.min(math.max(voucher, 0), amount)
-- Lua prints big or negative-zero numbers as 1e+11 / -0, which HINCRBY refuses: format them.
if amount > 0 then
  redis.call('HINCRBY', KEYS[1], 'voucher', string.format('%d', -from_voucher))
  redis.call('HINCRBY', KEYS[1], 'cash', string.format('%d', from_voucher - amount))
end
return {redis.call('HGET', KEYS[1], 'cash'), redis.call('HGET', KEYS[1], 'voucher')}
