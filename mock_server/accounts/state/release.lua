-- Give back one concurrency lease. KEYS: the account's lease set. ARGV: the lease id.
return redis.call('ZREM', KEYS[1], ARGV[1])
