-- Reads the same fields of many hashes of one partition (read only; src/reader.ts and
-- src/gauge-samples.ts build the call): KEYS are the hashes (counter or gauge sample hashes),
-- ARGV[1] 'n' or 's', then the fields. Returns, per key in order, the fields' values: with 'n' as
-- integers (0 when absent), with 's' as strings ('' when absent, e.g. packed gauge samples):
-- #KEYS * (#ARGV - 1) values. One command per partition instead of one per hash.
local numbers = ARGV[1] == 'n'
local out = {}
local n = 0
for k = 1, #KEYS do
  local values = redis.call('HMGET', KEYS[k], unpack(ARGV, 2))
  for f = 1, #ARGV - 1 do
    n = n + 1
    if numbers then
      out[n] = tonumber(values[f]) or 0
    else
      out[n] = values[f] or ''
    end
  end
end
return out
