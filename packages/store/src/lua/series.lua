-- Reads the same fields of many counter hashes of one partition (read only; src/reader.ts builds
-- the call): KEYS are the hashes, ARGV the fields. Returns, per key in order, the fields' values
-- (0 when absent): #KEYS * #ARGV integers. One command per partition instead of one per hash.
local out = {}
local n = 0
for k = 1, #KEYS do
  local values = redis.call('HMGET', KEYS[k], unpack(ARGV))
  for f = 1, #ARGV do
    n = n + 1
    out[n] = tonumber(values[f]) or 0
  end
end
return out
