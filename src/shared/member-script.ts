// The per-member peer cap of the shared mode (docs/protocol.md, "Peer caps"; docs/scaling.md).
// A member's peers span swarms, hence shards and Cluster slots, so their count cannot live with
// a swarm: each member has a sorted set of its active peers (`<release>:<peer_id hex>`) under its
// own hash tag, scored by each peer's last announce. An entry older than the expiry cut-off is a
// peer the sweep drops from its swarm at the same cut-off, so it no longer counts; the key
// itself expires once the member has been silent that long.
//
// The script admits a joining peer: KEYS 1 the member's set; ARGV 1 the entry, 2 now (ms), 3 the
// cut-off (ms), 4 the cap. It returns 0 when the member already has `cap` live others, counting
// the others even when the entry is there (a peer back after its expiry is admitted anew).
// A re-announce re-scores its entry with plain ZADD XX and PEXPIRE, a peer leaving its swarm is
// removed with ZREM (redis-peer-store.ts): cheaper than a script, and a revived expired entry
// is harmless, since a peer that left its swarm joins again through this script.
export const MEMBER_JOIN_LUA = `
local key, entry = KEYS[1], ARGV[1]
local now, cutoff = tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. cutoff)
local others = redis.call('ZCARD', key)
if redis.call('ZSCORE', key, entry) then others = others - 1 end
if others >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', key, now, entry)
redis.call('PEXPIRE', key, now - cutoff)
return 1
`;
