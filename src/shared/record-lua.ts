// Lua shared by the announce and the sweep scripts (announce-script.ts, sweep-script.ts): the
// layout of a peer's record and of a stream entry, and the counter arithmetic. Kept in one
// place so both scripts read and write the same bytes.
//
// A peer record (a field of the swarm's records hash) is one header byte (bit 1: an IPv4
// address follows, bit 2: an IPv6 one), the compact address forms (BEP 23: 6 bytes; BEP 7:
// 18 bytes), then the rest as consecutive msgpack values. A peer is listed (the sorted sets
// of seeders and leechers) as the member header byte, addresses, field: the reply's peers,
// picked up to 50 per announce, are members returned as they are, with nothing read per peer.
// A record of the earlier layout (one msgpack map, first byte 0x80 or above) and a member of
// the earlier layout (the bare field, first byte a digit) are still read, so an upgrade keeps
// every baseline; both are written in this layout at the peer's next announce.
//
// A stream entry is four fields: `v`, the fixed fields joined by commas (numbers and IP
// addresses, none of which holds a comma), then `f` (the record's field), `k` (the BEP 7 key,
// "k"-prefixed, or '') and `cl` (the client), which may hold any byte. The drainer reads the
// earlier one-field-per-value layout too (stream-batch.ts).
//
// Counters travel as decimal strings: Lua numbers are doubles, exact only to 2^53, and the
// counters go to 2^63 - 1. Comparison is on the digits; subtraction is done on doubles when
// the larger counter has at most 15 digits (below 10^15 < 2^53, so exact), and on the digits
// above that.
export const RECORD_LUA = `
local function headOf(r)
  return (r.a4 ~= '' and 1 or 0) + (r.a6 ~= '' and 2 or 0)
end
local function decode(packed)
  local head = string.byte(packed, 1)
  if head >= 128 then
    local r = cmsgpack.unpack(packed)
    r.cl, r.po, r.i4, r.i6, r.legacy = r.cl or '', r.po or '0', r.i4 or '', r.i6 or '', true
    return r
  end
  local at, a4, a6 = 2, '', ''
  if head % 2 == 1 then a4 = string.sub(packed, 2, 7); at = 8 end
  if head >= 2 then a6 = string.sub(packed, at, at + 17); at = at + 18 end
  local ul, dl, lf, k, sd, ac, ls, h, cl, po, i4, i6, t = cmsgpack.unpack(string.sub(packed, at))
  return { ul = ul, dl = dl, lf = lf, k = k, sd = sd, ac = ac, ls = ls, h = h, cl = cl, po = po, i4 = i4, i6 = i6, t = t, a4 = a4, a6 = a6 }
end
local function encode(r)
  return string.char(headOf(r)) .. r.a4 .. r.a6 .. cmsgpack.pack(r.ul, r.dl, r.lf, r.k, r.sd, r.ac, r.ls, r.h, r.cl, r.po, r.i4, r.i6, r.t)
end
-- the peer as a member of its lists: header byte, compact addresses, then the field; a record
-- of the earlier layout was listed under its bare field
local function memberOf(r, field)
  if r.legacy then return field end
  return string.char(headOf(r)) .. r.a4 .. r.a6 .. field
end
-- the field of a list member (a bare field starts with the member id's first digit)
local function fieldOf(m)
  local head = string.byte(m, 1)
  if head >= 48 then return m end
  return string.sub(m, 2 + (head % 2 == 1 and 6 or 0) + (head >= 2 and 18 or 0))
end
-- a member whose addresses include the wanted family (0: either); a bare field has none here
local function usable(m, family)
  local head = string.byte(m, 1)
  if head >= 4 then return false end
  if family == 4 then return head % 2 == 1 end
  if family == 6 then return head >= 2 end
  return head ~= 0
end
local function entry(stream, field, r, user, release, up, down, mu, md, seedtime, snatched, at)
  return redis.call('XADD', stream, '*', 'v', table.concat({ user, release, up, down, mu, md, seedtime, snatched, at,
    r.ul, r.dl, r.lf, r.sd, r.ac, r.po, r.i4, r.i6 }, ','), 'f', field, 'k', r.k, 'cl', r.cl)
end
local function cmp(a, b)
  if #a ~= #b then return #a < #b and -1 or 1 end
  if a == b then return 0 end
  return a < b and -1 or 1
end
local function sub(a, b)
  if #a <= 15 then return string.format('%.0f', tonumber(a) - tonumber(b)) end
  local out, borrow, la, lb = {}, 0, #a, #b
  for i = 0, la - 1 do
    local d = string.byte(a, la - i) - 48 - borrow
    if i < lb then d = d - (string.byte(b, lb - i) - 48) end
    if d < 0 then d = d + 10; borrow = 1 else borrow = 0 end
    out[la - i] = d
  end
  local s = string.gsub(table.concat(out), '^0+', '')
  if s == '' then return '0' end
  return s
end
`;

/** The fixed fields of a stream entry's `v`, in the order RECORD_LUA's `entry` joins them. */
export const ENTRY_VALUES = ['u', 'r', 'up', 'dn', 'mu', 'md', 'st', 'sn', 'at', 'ul', 'dl', 'lf', 'sd', 'ac', 'po', 'i4', 'i6'] as const;
