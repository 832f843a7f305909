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

-- A spell's criteria-to-reside record (g:spell:<ods> field <spell id>):
-- 'discharged at|counted 0/1|discharge group|icb|region|history', history 'at,meets,group;…' in
-- apply order (meets 1/0, group 1..3); the first five are empty until the spell is discharged.
local function readSpell(hash, id)
  local v = redis.call('HGET', hash, id)
  if not v then
    return { d = '', c = '0', g = '', icb = '', region = '', hist = '' }
  end
  local d, c, g, icb, region, hist =
    string.match(v, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  return { d = d, c = c, g = g, icb = icb, region = region, hist = hist }
end

local function writeSpell(hash, id, s)
  local v = s.d .. '|' .. s.c .. '|' .. s.g .. '|' .. s.icb .. '|' .. s.region .. '|' .. s.hist
  redis.call('HSET', hash, id, v)
end

-- The change in force at `at` by event time: the latest at or before it, a tie going to the later
-- applied. Returns its time (a number), meets ('1'/'0') and group ('1'..'3'), or nil.
local function inForce(hist, at)
  local bestAt, bestMeets, bestGroup
  for t, m, g in string.gmatch(hist, '([^,;]+),([^,;]+),([^,;]+)') do
    local n = tonumber(t)
    if n <= at and (not bestAt or n >= bestAt) then
      bestAt, bestMeets, bestGroup = n, m, g
    end
  end
  return bestAt, bestMeets, bestGroup
end

-- Whether a discharge at `at` is of a spell not meeting the criteria: the change in force then
-- says no and is no more than `window` before it.
local function notMeetingAt(hist, at, window)
  local t, meets = inForce(hist, at)
  return t ~= nil and meets == '0' and t >= at - window
end

-- HINCRBY the n (k field by) triples from ARGV[f], each times `sign`.
local function increments(f, n, sign)
  for _ = 1, n do
    redis.call('HINCRBY', KEYS[tonumber(ARGV[f])], ARGV[f + 1], sign * tonumber(ARGV[f + 2]))
    f = f + 3
  end
end

-- Coverage-only changes (K ops whose report was a trust's first), for the change log entry's
-- `coverage` field: {scope, {bucket, ...}} pairs in first-seen order; `buckets` is scope -> its
-- list, `listed` holds the 'scope|bucket' already in one.
local covered, buckets, listed = {}, {}, {}

-- Gauge state per scope (W, then the next state op; README "Gauge state per scope"): the scope
-- sets and beds totals the next op writes as it writes its trust's, members '<ods>:<id>'.
local mirror

-- In each of the scoped op's threes of sets (one per age group): the member leaves the three,
-- or, when g (1..3) is given, the other two and ZADD sets its score in set g.
local function mirrorMove(scoped, id, g, score)
  if not scoped then
    return
  end
  local member, keys = scoped.prefix .. id, scoped.keys
  for s = 1, #keys, 3 do
    for j = 1, 3 do
      if j ~= g then
        redis.call('ZREM', keys[s + j - 1], member)
      end
    end
    if g then
      redis.call('ZADD', keys[s + g - 1], score, member)
    end
  end
end

-- A site's G&A snapshot replaced `previous` ('at:open:occupied' or nil): its scope totals move by
-- the difference.
local function mirrorBeds(scoped, previous, open, occupied)
  if not scoped then
    return
  end
  local wasOpen, wasOccupied = 0, 0
  if previous then
    local o, c = string.match(previous, '^[^:]*:([^:]*):([^:]*)')
    wasOpen, wasOccupied = tonumber(o), tonumber(c)
  end
  for _, hash in ipairs(scoped.keys) do
    redis.call('HINCRBY', hash, 'open', tonumber(open) - wasOpen)
    redis.call('HINCRBY', hash, 'occupied', tonumber(occupied) - wasOccupied)
  end
end

while i <= n do
  local op = ARGV[i]
  local scoped
  if op ~= 'W' then
    scoped, mirror = mirror, nil
  end
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
      mirrorMove(scoped, id, tonumber(ARGV[i + 5]), ARGV[i + 7])
    end
    i = i + 8
  elseif op == 'C' then
    local id = ARGV[i + 5]
    for g = 2, 4 do
      redis.call('ZREM', key(g), id)
    end
    mirrorMove(scoped, id)
    redis.call('ZADD', key(1), ARGV[i + 6], id)
    i = i + 7
  elseif op == 'R' then
    -- spell index k1 k2 k3 g id at meets window n (k field by)*n
    local spell, index, id = key(1), key(2), ARGV[i + 7]
    local at, window, n = tonumber(ARGV[i + 8]), tonumber(ARGV[i + 10]), tonumber(ARGV[i + 11])
    local s = readSpell(spell, id)
    local entry = ARGV[i + 8] .. ',' .. ARGV[i + 9] .. ',' .. ARGV[i + 6]
    local f = i + 12
    if s.d == '' then
      -- Not discharged: the live gauge follows the latest change by event time.
      s.hist = s.hist == '' and entry or s.hist .. ';' .. entry
      local t, meets, group = inForce(s.hist, math.huge)
      for g = 3, 5 do
        redis.call('ZREM', key(g), id)
      end
      if meets == '0' then
        redis.call('ZADD', key(2 + tonumber(group)), t, id)
      end
      mirrorMove(scoped, id, meets == '0' and tonumber(group) or nil, t)
      writeSpell(spell, id, s)
      redis.call('ZADD', index, t + window, id)
    elseif at <= tonumber(s.d) then
      -- A change dated at or before the discharge, arriving after it: the discharge is judged
      -- again and its count corrected in its own buckets (the n increments, from the probe).
      s.hist = s.hist == '' and entry or s.hist .. ';' .. entry
      local now = notMeetingAt(s.hist, tonumber(s.d), window) and '1' or '0'
      if now ~= s.c and n > 0 then
        increments(f, n, now == '1' and 1 or -1)
        s.c = now
      end
      writeSpell(spell, id, s)
    end
    i = f + 3 * n
  elseif op == 'D' then
    -- closed spell index k1 k2 k3 id at window group icb region n (k field by)*n
    local spell, index, id, at = key(2), key(3), ARGV[i + 7], ARGV[i + 8]
    local n = tonumber(ARGV[i + 13])
    local f = i + 14
    local s = readSpell(spell, id)
    if s.d == '' then
      -- The spell's first discharge: counted when the change in force at it says no.
      local counted = notMeetingAt(s.hist, tonumber(at), tonumber(ARGV[i + 9]))
      if counted then
        increments(f, n, 1)
      end
      s.d, s.c, s.g = at, counted and '1' or '0', ARGV[i + 10]
      s.icb, s.region = ARGV[i + 11], ARGV[i + 12]
      writeSpell(spell, id, s)
      redis.call('ZADD', index, at, id)
    end
    for g = 4, 6 do
      redis.call('ZREM', key(g), id)
    end
    mirrorMove(scoped, id)
    redis.call('ZADD', key(1), at, id)
    i = f + 3 * n
  elseif op == 'N' or op == 'K' then
    local field, count = ARGV[i + 2], tonumber(ARGV[i + 3])
    if redis.call('HSETNX', key(1), field, 1) == 1 then
      for j = 1, count do
        redis.call('HINCRBY', key(3 + j), field, 1)
      end
      if op == 'K' then
        local bucket = ARGV[i + 4 + count]
        for scope in string.gmatch(ARGV[i + 5 + count], '[^,]+') do
          if not listed[scope .. '|' .. bucket] then
            listed[scope .. '|' .. bucket] = true
            if not buckets[scope] then
              buckets[scope] = {}
              table.insert(covered, { scope, buckets[scope] })
            end
            table.insert(buckets[scope], bucket)
          end
        end
      end
    end
    i = i + 4 + count + (op == 'K' and 2 or 0)
  elseif op == 'B' then
    local hash, field, at = key(1), ARGV[i + 2], ARGV[i + 3]
    local current = redis.call('HGET', hash, field)
    if not current or tonumber(string.match(current, '^[^:]+')) <= tonumber(at) then
      redis.call('HSET', hash, field, at .. ':' .. ARGV[i + 4] .. ':' .. ARGV[i + 5])
      mirrorBeds(scoped, current, ARGV[i + 4], ARGV[i + 5])
    end
    i = i + 6
  elseif op == 'G' then
    i = gaugeSample(i)
  elseif op == 'T' then
    redis.call('ZREMRANGEBYSCORE', key(1), '-inf', '(' .. ARGV[i + 2])
    i = i + 3
  elseif op == 'P' then
    -- Spell records whose index score is below `at` go, with their index entries.
    local hash, index, below = key(1), key(2), '(' .. ARGV[i + 3]
    local gone = redis.call('ZRANGEBYSCORE', index, '-inf', below)
    local first = 1
    while first <= #gone do
      local upto = math.min(#gone, first + CHUNK - 1)
      redis.call('HDEL', hash, unpack(gone, first, upto))
      first = upto + 1
    end
    redis.call('ZREMRANGEBYSCORE', index, '-inf', below)
    i = i + 4
  elseif op == 'X' then
    redis.call('PEXPIREAT', key(1), ARGV[i + 2])
    i = i + 3
  elseif op == 'L' then
    -- The change log: one entry for the batch, in the same script as the figures it describes.
    local stream, last = key(1), i + 4 + 2 * tonumber(ARGV[i + 4])
    local fields = { unpack(ARGV, i + 5, last) }
    if #covered > 0 then
      table.insert(fields, 'coverage')
      table.insert(fields, cjson.encode(covered))
    end
    redis.call('XADD', stream, 'MAXLEN', '~', ARGV[i + 2], '*', unpack(fields))
    local now = redis.call('TIME')
    local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[i + 3])
    redis.call('XTRIM', stream, 'MINID', '~', string.format('%.0f', oldest))
    i = last + 1
  elseif op == 'W' then
    -- W prefix n k1..kn: the scope keys the next state op also writes (mirrorMove, mirrorBeds).
    local count, keys = tonumber(ARGV[i + 2]), {}
    for j = 1, count do
      keys[j] = key(2 + j)
    end
    mirror = { prefix = ARGV[i + 1], keys = keys }
    i = i + 3 + count
  elseif op == 'V' then
    -- V marker trusts structure clock: the partition's scope gauge marker. `structure`: the
    -- structure its scope state was kept under from its first apply, 'partial' if it had trust
    -- state before (the trust index exists) or another structure wrote it; `clock`: the newest
    -- record time applied. Readers read scope state only when both allow it.
    local marker, structure = key(1), redis.call('HGET', key(1), 'structure')
    if not structure then
      structure = redis.call('EXISTS', key(2)) == 1 and 'partial' or ARGV[i + 3]
    elseif structure ~= ARGV[i + 3] then
      structure = 'partial'
    end
    redis.call('HSET', marker, 'structure', structure)
    local clock = redis.call('HGET', marker, 'clock')
    if not clock or tonumber(clock) < tonumber(ARGV[i + 4]) then
      redis.call('HSET', marker, 'clock', ARGV[i + 4])
    end
    i = i + 5
  else
    return redis.error_reply('pulse apply: unknown op ' .. tostring(op) .. ' at ARGV[' .. i .. ']')
  end
end

redis.call('SET', KEYS[1], ARGV[2])
return {1}
