-- Reads the live gauges of some trusts in one partition as of an instant, summed over those of
-- them whose state is in this partition (read only; src/reader-gauges.ts builds the call).
-- KEYS[1] = <p>:trusts (the partition's index of trusts with gauge state), then 10 keys per
-- trust: its ed open sets (3 age groups), rtt open sets (3), ctr sets (3), beds hash.
-- ARGV[1..3] = the lowest score that still counts (the state window) in the ed, rtt and ctr
-- sets; ARGV[4] = m, the number of "over" gauges, then m pairs (set 'ed' | 'rtt', ZCOUNT max
-- bound), then the trusts' ODS codes in KEYS order.
-- Returns 3 * (3 + m) + 2 integers: per age group, ZCOUNT ed, rtt and ctr within their windows
-- and the m "over" ZCOUNTs (within the window too); then G&A beds open and occupied (the newest
-- snapshot of every site).
local since = { ed = ARGV[1], rtt = ARGV[2], ctr = ARGV[3] }
local m = tonumber(ARGV[4])
local firstOds = 5 + 2 * m
local width = 3 + m
local sums = {}
for s = 1, 3 * width + 2 do
  sums[s] = 0
end
local bedsAt = 3 * width

for t = 0, #ARGV - firstOds do
  if redis.call('SISMEMBER', KEYS[1], ARGV[firstOds + t]) == 1 then
    local base = 1 + t * 10
    for g = 1, 3 do
      local ed, rtt, ctr = KEYS[base + g], KEYS[base + 3 + g], KEYS[base + 6 + g]
      local at = (g - 1) * width
      sums[at + 1] = sums[at + 1] + redis.call('ZCOUNT', ed, since.ed, '+inf')
      sums[at + 2] = sums[at + 2] + redis.call('ZCOUNT', rtt, since.rtt, '+inf')
      sums[at + 3] = sums[at + 3] + redis.call('ZCOUNT', ctr, since.ctr, '+inf')
      for o = 1, m do
        local kind = ARGV[3 + 2 * o]
        local set = kind == 'ed' and ed or rtt
        local count = redis.call('ZCOUNT', set, since[kind], ARGV[4 + 2 * o])
        sums[at + 3 + o] = sums[at + 3 + o] + count
      end
    end
    -- Fields <site>:<bedType> -> <at>:<open>:<occupied>; only general and acute beds count.
    local beds = redis.call('HGETALL', KEYS[base + 10])
    for f = 1, #beds, 2 do
      if string.sub(beds[f], -14) == ':GENERAL_ACUTE' then
        local open, occupied = string.match(beds[f + 1], '^[^:]*:([^:]*):([^:]*)')
        sums[bedsAt + 1] = sums[bedsAt + 1] + tonumber(open)
        sums[bedsAt + 2] = sums[bedsAt + 2] + tonumber(occupied)
      end
    end
  end
end
return sums
