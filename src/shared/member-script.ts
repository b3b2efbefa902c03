// The per-member peer cap of the shared mode (docs/protocol.md, "Peer caps"; docs/scaling.md).
// A member's peers span swarms, hence shards and Cluster slots, so their count cannot live with
// a swarm: each member has a sorted set of its active peers (`<release>:<peer_id hex>`) under its
// own hash tag, scored by each peer's last announce. An entry older than the expiry cut-off is a
// peer the sweep drops from its swarm at the same cut-off, so it no longer counts; the key
// itself expires once the member has been silent that long.
//
// KEYS: 1 the member's set. ARGV: 1 mode ('join', 'touch' or 'leave'), 2 the entry, 3 now (ms),
// 4 the cut-off (ms), 5 the cap.
// join: admits the entry unless the member already has `cap` live others (returns 0); touch:
// re-scores a live entry (a re-announce), never adds or revives one; leave: removes it.
export const MEMBER_LUA = `
local key, mode, entry = KEYS[1], ARGV[1], ARGV[2]
local now, cutoff = tonumber(ARGV[3]), tonumber(ARGV[4])
if mode == 'leave' then
  redis.call('ZREM', key, entry)
  return 1
end
if mode == 'touch' then
  -- an entry past the cut-off is a peer the sweep dropped: it must be admitted again (join)
  local score = redis.call('ZSCORE', key, entry)
  if score and tonumber(score) >= cutoff then
    redis.call('ZADD', key, now, entry)
    redis.call('PEXPIRE', key, now - cutoff)
  end
  return 1
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. cutoff)
if not redis.call('ZSCORE', key, entry) and redis.call('ZCARD', key) >= tonumber(ARGV[5]) then return 0 end
redis.call('ZADD', key, now, entry)
redis.call('PEXPIRE', key, now - cutoff)
return 1
`;
