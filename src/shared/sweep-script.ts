// The shared mode's expiry sweep for one swarm (docs/accounting.md, "Stopped and silent
// peers"): a peer silent since before the cut-off leaves the swarm and its counts, its record
// (the baseline) stays. The lists are sorted sets scored by each peer's last announce on that
// hash, so the candidates are a range query; a peer that announced since on its other hash
// (BEP 52) is only re-scored. Each expired peer gets a stream entry with no bytes, so the
// drainer writes its row and transfer as inactive (announce-script.ts has the key layout,
// record-lua.ts the record's and the entry's).
import { RECORD_LUA } from './record-lua.js';

export const SWEEP_LUA = `${RECORD_LUA}
local records, stream = KEYS[1], KEYS[6]
local cutoff, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
-- ARGV[3]: the release id
local lists = { KEYS[2], KEYS[3], KEYS[4], KEYS[5] }
local seen, expired = {}, 0
for _, list in ipairs(lists) do
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', list, '-inf', '(' .. cutoff, 'LIMIT', 0, limit)) do
    if not seen[member] then
      seen[member] = true
      local field = fieldOf(member)
      local packed = redis.call('HGET', records, field)
      local rec = packed and decode(packed)
      if rec and rec.ac == 1 and rec.ls < cutoff then
        for _, l in ipairs(lists) do redis.call('ZREM', l, member) end
        redis.call('HINCRBY', records, rec.sd == 1 and '#s' or '#l', -1)
        local user = string.match(field, '^(%d+):')
        redis.call('HINCRBY', records, '#u:' .. user, -1)
        rec.ac, rec.h = 0, 0
        redis.call('HSET', records, field, encode(rec))
        entry(stream, field, rec, user, ARGV[3], '0', '0', '1', '1', 0, 0, rec.ls)
        expired = expired + 1
      elseif rec and rec.ac == 1 then
        redis.call('ZADD', list, 'XX', rec.ls, member)
      else
        redis.call('ZREM', list, member)
      end
    end
  end
end
return expired
`;
