-- Reads the live gauges of one scope group in one partition as of an instant (read only;
-- src/reader-scope-gauges.ts builds the call), from the gauge state kept per scope.
-- KEYS[1] = <p>:gs (the partition's marker), then the group's ed sets (3 age groups), rtt sets
-- (3), nmctr sets (3) and beds totals hash.
-- ARGV[1] = the structure's fingerprint, ARGV[2] = the group's `until` (epoch ms, or 'inf');
-- ARGV[3..5] = the lowest score that still counts in the ed, rtt and ctr sets; ARGV[6] = m, the
-- number of "over" gauges, then m pairs (set 'ed' | 'rtt', ZCOUNT max bound).
-- Returns what gauges.lua returns for the scope's trusts in this partition: 3 * (3 + m) + 2
-- integers. Returns an empty array when the group cannot be read here (the marker names another
-- structure or 'partial', or the partition's record time reached `until`, so the group missed
-- ops): the reader then sums the trusts' state in this partition instead.
local structure, clock = unpack(redis.call('HMGET', KEYS[1], 'structure', 'clock'))
if structure ~= ARGV[1] or (ARGV[2] ~= 'inf' and tonumber(clock) >= tonumber(ARGV[2])) then
  return {}
end
local since = { ed = ARGV[3], rtt = ARGV[4], ctr = ARGV[5] }
local m = tonumber(ARGV[6])
local width = 3 + m
local sums = {}
for g = 1, 3 do
  local ed, rtt, ctr = KEYS[1 + g], KEYS[4 + g], KEYS[7 + g]
  local at = (g - 1) * width
  sums[at + 1] = redis.call('ZCOUNT', ed, since.ed, '+inf')
  sums[at + 2] = redis.call('ZCOUNT', rtt, since.rtt, '+inf')
  sums[at + 3] = redis.call('ZCOUNT', ctr, since.ctr, '+inf')
  for o = 1, m do
    local kind = ARGV[5 + 2 * o]
    sums[at + 3 + o] = redis.call('ZCOUNT', kind == 'ed' and ed or rtt, since[kind], ARGV[6 + 2 * o])
  end
end
local beds = redis.call('HMGET', KEYS[11], 'open', 'occupied')
sums[3 * width + 1] = tonumber(beds[1] or 0)
sums[3 * width + 2] = tonumber(beds[2] or 0)
return sums
