-- Gauge history (docs/aggregation.md, "Gauge history"): the apply script's op G, prepended to
-- apply.lua by the store. A trust's gauges as of a 15-minute end, counted exactly as gauges.lua
-- counts the live ones, packed as 'sampled,<per age group: ed rtt ctr over1..overm>,open,occupied'
-- (sampled = 1) and added into a field of each target hash (the trust's, ICB's, region's and
-- England's samples of the buckets the end closes).
-- ARGV from i: 'G', 10 key indexes (ed x3, rtt x3, ctr x3, beds), since ed, rtt, ctr, m,
-- (set max) x m, n, (key index, field) x n. Returns the index after the op.
local function gaugeSample(i)
  local function k(j)
    return KEYS[tonumber(ARGV[i + j])]
  end
  local since = { ed = ARGV[i + 11], rtt = ARGV[i + 12], ctr = ARGV[i + 13] }
  local m = tonumber(ARGV[i + 14])
  local values = { 1 }
  for g = 1, 3 do
    local ed, rtt, ctr = k(g), k(3 + g), k(6 + g)
    values[#values + 1] = redis.call('ZCOUNT', ed, since.ed, '+inf')
    values[#values + 1] = redis.call('ZCOUNT', rtt, since.rtt, '+inf')
    values[#values + 1] = redis.call('ZCOUNT', ctr, since.ctr, '+inf')
    for o = 1, m do
      local kind = ARGV[i + 13 + 2 * o]
      local set = kind == 'ed' and ed or rtt
      values[#values + 1] = redis.call('ZCOUNT', set, since[kind], ARGV[i + 14 + 2 * o])
    end
  end
  -- Fields <site>:<bedType> -> <at>:<open>:<occupied>; only general and acute beds count.
  local open, occupied = 0, 0
  local beds = redis.call('HGETALL', k(10))
  for f = 1, #beds, 2 do
    if string.sub(beds[f], -14) == ':GENERAL_ACUTE' then
      local o, c = string.match(beds[f + 1], '^[^:]*:([^:]*):([^:]*)')
      open = open + tonumber(o)
      occupied = occupied + tonumber(c)
    end
  end
  values[#values + 1] = open
  values[#values + 1] = occupied
  local t = i + 15 + 2 * m
  local n = tonumber(ARGV[t])
  for j = 1, n do
    local hash, field = KEYS[tonumber(ARGV[t + 2 * j - 1])], ARGV[t + 2 * j]
    local stored = redis.call('HGET', hash, field)
    local sums = {}
    if stored then
      local v = 1
      for s in string.gmatch(stored, '[^,]+') do
        sums[v] = tonumber(s) + values[v]
        v = v + 1
      end
    else
      for v = 1, #values do
        sums[v] = values[v]
      end
    end
    redis.call('HSET', hash, field, table.concat(sums, ','))
  end
  return t + 2 * n + 1
end
