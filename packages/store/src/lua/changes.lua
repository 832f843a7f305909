-- Reads one partition's change log after a stream id (read only; src/change-log.ts builds the
-- call). KEYS[1] = <p>:changes. ARGV[1] = the id to read after (exclusive), ARGV[2] = at most this
-- many entries (0: none, the head only).
-- Returns {entries added ever, entries kept, last generated id, entries}: the log is only ever
-- trimmed from its oldest end, so entries added - entries kept is how many were trimmed, and
-- the caller can tell whether its cursor still lies within what is kept. One script, so the
-- counts and the entries are of the same instant.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0, 0, '0-0', {}}
end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local added, length, last = 0, 0, '0-0'
for f = 1, #info, 2 do
  local name = info[f]
  if name == 'entries-added' then
    added = info[f + 1]
  elseif name == 'length' then
    length = info[f + 1]
  elseif name == 'last-generated-id' then
    last = info[f + 1]
  end
end
local entries = {}
local count = tonumber(ARGV[2])
if count > 0 then
  entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', count)
end
return {added, length, last, entries}
