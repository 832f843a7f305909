-- Applies one partition batch atomically, fenced by the partition's stored offset.
-- KEYS[1] = <p>:offset; every other key shares its hash tag. ARGV encoding: src/encode.ts.
-- Returns {1} when applied, {0, stored offset} when fenced out (then nothing changed; {0} when
-- none is stored). The fence is the stored offset the plan was probed against, ARGV[1] ('' =
-- none stored): the apply runs only if it still holds exactly, absent included.
local stored = redis.call('GET', KEYS[1])
if stored then
  if stored ~= ARGV[1] then
    return {0, stored}
  end
elseif ARGV[1] ~= '' then
  return {0}
end

local CHUNK = 4000 -- stays below Lua's unpack stack limit
local n = #ARGV
local i = 3

-- The key whose index is the op's j-th argument.
local function key(j)
  return KEYS[tonumber(ARGV[i + j])]
end

while i <= n do
  local op = ARGV[i]
  if op == 'S' then
    local set, last = key(1), i + 2 + tonumber(ARGV[i + 2])
    local first = i + 3
    while first <= last do
      local upto = math.min(last, first + CHUNK - 1)
      redis.call('SADD', set, unpack(ARGV, first, upto))
      first = upto + 1
    end
    i = last + 1
  elseif op == 'H' or op == 'M' then
    local hash, count = key(1), tonumber(ARGV[i + 2])
    local f = i + 3
    for _ = 1, count do
      if op == 'H' then
        redis.call('HINCRBY', hash, ARGV[f], ARGV[f + 1])
      else
        local current = redis.call('HGET', hash, ARGV[f])
        if not current or tonumber(current) < tonumber(ARGV[f + 1]) then
          redis.call('HSET', hash, ARGV[f], ARGV[f + 1])
        end
      end
      f = f + 2
    end
    i = f
  elseif op == 'O' then
    local id = ARGV[i + 6]
    if not redis.call('ZSCORE', key(1), id) then
      for g = 2, 4 do
        redis.call('ZREM', key(g), id)
      end
      redis.call('ZADD', key(1 + tonumber(ARGV[i + 5])), ARGV[i + 7], id)
    end
    i = i + 8
  elseif op == 'C' then
    local id = ARGV[i + 5]
    for g = 2, 4 do
      redis.call('ZREM', key(g), id)
    end
    redis.call('ZADD', key(1), ARGV[i + 6], id)
    i = i + 7
  elseif op == 'R' then
    local id = ARGV[i + 6]
    if not redis.call('ZSCORE', key(1), id) then
      for g = 2, 4 do
        redis.call('ZREM', key(g), id)
      end
      local group = tonumber(ARGV[i + 5])
      if group > 0 then
        redis.call('ZADD', key(1 + group), ARGV[i + 7], id)
      end
    end
    i = i + 8
  elseif op == 'D' then
    local id = ARGV[i + 5]
    local since = tonumber(ARGV[i + 7])
    local notMeeting = false
    for g = 2, 4 do
      local score = redis.call('ZSCORE', key(g), id)
      if score then
        if tonumber(score) >= since then
          notMeeting = true
        end
        redis.call('ZREM', key(g), id)
      end
    end
    local count = tonumber(ARGV[i + 8])
    local f = i + 9
    if notMeeting then
      for _ = 1, count do
        redis.call('HINCRBY', KEYS[tonumber(ARGV[f])], ARGV[f + 1], ARGV[f + 2])
        f = f + 3
      end
    else
      f = f + 3 * count
    end
    redis.call('ZADD', key(1), ARGV[i + 6], id)
    i = f
  elseif op == 'B' then
    local hash, field, at = key(1), ARGV[i + 2], ARGV[i + 3]
    local current = redis.call('HGET', hash, field)
    if not current or tonumber(string.match(current, '^[^:]+')) <= tonumber(at) then
      redis.call('HSET', hash, field, at .. ':' .. ARGV[i + 4] .. ':' .. ARGV[i + 5])
    end
    i = i + 6
  elseif op == 'T' then
    redis.call('ZREMRANGEBYSCORE', key(1), '-inf', '(' .. ARGV[i + 2])
    i = i + 3
  elseif op == 'X' then
    redis.call('PEXPIREAT', key(1), ARGV[i + 2])
    i = i + 3
  elseif op == 'L' then
    -- The change log: one entry for the batch, in the same script as the figures it describes.
    local stream, last = key(1), i + 4 + 2 * tonumber(ARGV[i + 4])
    redis.call('XADD', stream, 'MAXLEN', '~', ARGV[i + 2], '*', unpack(ARGV, i + 5, last))
    local now = redis.call('TIME')
    local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[i + 3])
    redis.call('XTRIM', stream, 'MINID', '~', string.format('%.0f', oldest))
    i = last + 1
  else
    return redis.error_reply('pulse apply: unknown op ' .. tostring(op) .. ' at ARGV[' .. i .. ']')
  end
end

redis.call('SET', KEYS[1], ARGV[2])
return {1}
