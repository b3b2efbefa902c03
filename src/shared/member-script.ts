// The per-member limits of the shared mode (docs/protocol.md, "Peer caps"; docs/accounting.md,
// download slots; docs/scaling.md). A member's peers span swarms, hence shards and Cluster
// slots, so what counts them cannot live with a swarm: each member has, under its own hash tag,
// a sorted set of its active peers (`<release>:<peer_id hex>`) and, when its class has download
// slots, one of the releases it leeches, both scored by last announce. An entry older than the
// expiry cut-off is a peer the sweep drops from its swarm at the same cut-off, so it no longer
// counts; the keys themselves expire once the member has been silent that long.
//
// The script admits a peer joining its swarm. KEYS: 1 the member's peers, 2 its leeched
// releases. ARGV: 1 the entry, 2 now (ms), 3 the cut-off (ms), 4 the peer cap, 5 the release
// id, 6 the download slots (0: no limit), 7 '1' when the peer leeches. It returns 0 when the
// member already has `cap` live other peers (counted even when the entry is there: a peer back
// after its expiry is admitted anew), 2 when the release would take a slot past the last, else 1.
// A re-announce re-scores its entries with plain ZADD XX and PEXPIRE, a peer leaving is removed
// with ZREM (redis-peer-store.ts): cheaper than a script, and a revived expired entry is
// harmless, since a peer that left its swarm joins again through this script.
export const MEMBER_JOIN_LUA = `
local peers, leech, entry = KEYS[1], KEYS[2], ARGV[1]
local now, cutoff, slots = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', peers, '-inf', '(' .. cutoff)
local others = redis.call('ZCARD', peers)
if redis.call('ZSCORE', peers, entry) then others = others - 1 end
if others >= tonumber(ARGV[4]) then return 0 end
if slots > 0 and ARGV[7] == '1' then
  redis.call('ZREMRANGEBYSCORE', leech, '-inf', '(' .. cutoff)
  if not redis.call('ZSCORE', leech, ARGV[5]) and redis.call('ZCARD', leech) >= slots then return 2 end
  redis.call('ZADD', leech, now, ARGV[5])
  redis.call('PEXPIRE', leech, now - cutoff)
end
redis.call('ZADD', peers, now, entry)
redis.call('PEXPIRE', peers, now - cutoff)
return 1
`;
