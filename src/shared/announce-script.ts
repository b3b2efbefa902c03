// The shared mode's announce as one server-side script (docs/scaling.md): it runs atomically
// inside Redis, so the peer's baseline update, the byte delta computed from it and the stream
// entry carrying that delta to the database are one step, which no process crash can split.
// The accounting rules are the memory core's (src/tracker/core/accounting.ts, docs/accounting.md):
// a new peer, a counter reset or a `started` from another client instance (BEP 7 key) is a
// new session credited 0; a `started` of the same instance on another tier (BEP 12) is
// credited; a stale plain report of the same instance credits 0 and keeps the baseline.
//
// The record's and the stream entry's layouts and the counter arithmetic are in record-lua.ts.
// A re-announce touches only what it changes: the release joins the shard's set of swarms
// when one of its peers is listed from inactive, not at every announce.
//
// KEYS: 1 peer records (hash: field "<user>:<peer_id hex>" -> record; "#s", "#l" the
// seeder and leecher counts, "#u:<user>" a member's active peers here), 2-5 the lists (sorted
// sets of members carrying the addresses, scored by last announce) of seeders and leechers of
// the v1 and the v2 hash (BEP 52), 6 the stream, 7 the shard's set of release ids (the expiry sweep walks it).
// Returns { 0 listed | 1 not listable, seeders, leechers, the picked members concatenated,
// early, boundary, entry id }, or { 2 } when the per-release cap refuses the peer.
import { RECORD_LUA } from './record-lua.js';

export const ANNOUNCE_LUA = `${RECORD_LUA}
local records, stream, swarms = KEYS[1], KEYS[6], KEYS[7]
local now, field, user, release, event = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local up, down, left, key = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local a4, a6, slot, tier = ARGV[10], ARGV[11], tonumber(ARGV[12]), ARGV[13]
local want, family, listable = tonumber(ARGV[14]), tonumber(ARGV[15]), ARGV[16] == '1'
local upMul, downMul, interval, minInterval = ARGV[17], ARGV[18], tonumber(ARGV[19]), tonumber(ARGV[20])
local perRelease, client, ip4, ip6, port = tonumber(ARGV[21]), ARGV[22], ARGV[23], ARGV[24], ARGV[25]
local userCount = '#u:' .. user

local packed = redis.call('HGET', records, field)
local isNew = not packed
local rec
if isNew then
  rec = { ul = up, dl = down, lf = left, k = '', sd = 0, ac = 0, ls = 0, a4 = '', a6 = '', h = 0, t = {}, i4 = '', i6 = '' }
else
  rec = decode(packed)
end

-- the per-release cap: a peer joining past it is refused before any accounting
if event ~= 'stopped' and rec.ac == 0 and tonumber(redis.call('HGET', records, userCount) or '0') >= perRelease then
  return { 2 }
end

-- ARGV[26] '1': the member's own cap is not checked yet (it lives in another slot,
-- member-script.ts): a peer joining its swarm goes back to the caller, untouched, to be admitted there
if ARGV[26] == '1' and event ~= 'stopped' and rec.ac == 0 then
  return { 3 }
end

-- min interval, per (transport, family, hash): the reply carries no peers, the bytes count
local early = false
if not isNew and (event == '' or event == 'paused') then
  local last = rec.t[tier]
  early = last ~= nil and now - last < minInterval * 1000
end

-- the accounting
local upDelta, downDelta, reset = '0', '0', isNew
local lower = cmp(up, rec.ul) < 0 or cmp(down, rec.dl) < 0
local same = rec.k ~= '' and rec.k == key
if isNew or not (lower and same and event ~= 'started') then
  reset = reset or lower or (event == 'started' and not same)
  if not reset then
    upDelta = sub(up, rec.ul)
    downDelta = sub(down, rec.dl)
  end
  rec.ul, rec.dl = up, down
end

local wasSeeder = rec.ac == 1 and rec.sd == 1
local seedtime = 0
if wasSeeder and left == '0' and rec.ls ~= 0 then
  seedtime = math.floor(math.min(math.max(now - rec.ls, 0), interval * 2000) / 1000)
end
local snatched = left == '0' and (event == 'completed' or (not isNew and rec.lf ~= '0'))

-- a listed peer is in its lists as the member it was listed under (its addresses may change now)
local listedAs = rec.ac == 1 and memberOf(rec, field) or nil
rec.legacy = nil
rec.lf, rec.k, rec.ls, rec.cl, rec.po = left, key, now, client, port
if a4 ~= '' then rec.a4, rec.i4 = a4, ip4 end
if a6 ~= '' then rec.a6, rec.i6 = a6, ip6 end
rec.t[tier] = now
local member = memberOf(rec, field)

-- the lists: leave them all, or be listed in the role's list of each hash announced
local seeder = left == '0' and 1 or 0
local lists = { { KEYS[2], KEYS[3] }, { KEYS[4], KEYS[5] } }
local function unlist()
  for s = 1, 2 do
    redis.call('ZREM', lists[s][1], listedAs)
    redis.call('ZREM', lists[s][2], listedAs)
  end
end
local function count(sd, delta)
  redis.call('HINCRBY', records, sd == 1 and '#s' or '#l', delta)
end
if event == 'stopped' or not listable then
  if rec.ac == 1 then
    count(rec.sd, -1)
    redis.call('HINCRBY', records, userCount, -1)
    unlist()
  end
  rec.ac, rec.h = 0, 0
else
  if rec.ac == 1 and rec.sd ~= seeder then
    count(rec.sd, -1)
    count(seeder, 1)
    unlist()
  elseif rec.ac == 1 and listedAs ~= member then
    unlist()
  elseif rec.ac == 0 then
    count(seeder, 1)
    redis.call('HINCRBY', records, userCount, 1)
    redis.call('SADD', swarms, release)
    rec.h = 0
  end
  rec.ac = 1
  local bit = slot == 1 and 1 or 2
  if rec.h % (bit * 2) < bit then rec.h = rec.h + bit end
  for s = 1, 2 do
    if rec.h % (s * 2) >= s then
      redis.call('ZADD', lists[s][seeder == 1 and 1 or 2], now, member)
    end
  end
end
rec.sd = seeder
redis.call('HSET', records, field, encode(rec))
local id = entry(stream, field, rec, user, release, upDelta, downDelta, upMul, downMul, seedtime, snatched and 1 or 0, now)

-- the peers for the reply: leechers first, then seeders unless the requester seeds or is paused.
-- Each list is read as a ring from a random start, as the memory core reads its address lists
-- (src/tracker/core/swarm.ts): every listed peer is as likely to be given, in O(want) work.
-- The members carry the compact addresses (record-lua.ts), so they are returned as they are,
-- one after the other, and the caller cuts the addresses out: nothing is read per peer here.
local function window(list, n)
  local size = redis.call('ZCARD', list)
  if size <= n then return redis.call('ZRANGE', list, 0, -1) end
  local start = math.random(0, size - 1)
  local stop = start + n - 1
  local fields = redis.call('ZRANGE', list, start, math.min(stop, size - 1))
  if stop >= size then
    for _, f in ipairs(redis.call('ZRANGE', list, 0, stop - size)) do fields[#fields + 1] = f end
  end
  return fields
end
local peers, found = {}, 0
if not early and event ~= 'stopped' and listable and want > 0 then
  local sources = { lists[slot][2] }
  if left ~= '0' and event ~= 'paused' then sources[2] = lists[slot][1] end
  for _, list in ipairs(sources) do
    if found >= want then break end
    for _, m in ipairs(window(list, want - found + 1)) do
      if found >= want then break end
      if string.byte(m, 1) >= 48 then
        -- listed under the earlier layout, until its next announce: the addresses are in its record
        local p = redis.call('HGET', records, m)
        local r = p and decode(p)
        m = r and string.char(headOf(r)) .. r.a4 .. r.a6 .. m or string.char(0)
      end
      if m ~= member and usable(m, family) then
        found = found + 1
        peers[found] = m
      end
    end
  end
end

local counts = redis.call('HMGET', records, '#s', '#l')
local boundary = reset or event == 'started' or event == 'completed' or event == 'stopped'
return { listable and 0 or 1, tonumber(counts[1] or '0'), tonumber(counts[2] or '0'),
  table.concat(peers), early and 1 or 0, boundary and 1 or 0, id }
`;
