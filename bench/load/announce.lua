-- wrk load for HTTP announces (BEP 3). Usage:
--   wrk -t1 -c50 -d20s -s announce.lua http://127.0.0.1:PORT -- FIXTURE MODE PATH [RATE CONNS]
-- MODE "open": path PATH (default /announce), a random peer_id on every request, a quarter
--   of them seeding (left=0), like a swarm of fresh clients.
-- MODE "passkey": /<passkey>/announce for a random member; that member's peer ids are
--   derived from (member, release) so the tracker sees consistent (user, peer_id) pairs and
--   rising counters, as its accounting expects; a quarter of those peers are seeders.
-- RATE (optional, requests/s of one thread): paces requests with delay() for the
--   latency-at-load row (wrk2 is not packaged in Debian): every request takes the next slot
--   of a 1/RATE schedule on a monotonic clock (LuaJIT FFI), whatever connection sends it.
-- Every request carries Connection: close (libtorrent, Transmission and aria2 do). done()
-- prints one JSON line that bench/lib/wrk.ts parses.

local hashes, passkeys = {}, {}
local mode, path, rate = "open", "/announce", 0
local threads = {}
local counter = 0
local started = {}
local t0 = os.time()
local gap_ms = 0
local next_slot = 0

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local function url_escape_hex(hex)
  return (hex:gsub("..", function(byte) return "%" .. byte end))
end

local function load_fixture(file)
  for line in io.lines(file) do
    local kind, value = line:match("^(%u) (%x+)$")
    if kind == "H" then hashes[#hashes + 1] = url_escape_hex(value)
    elseif kind == "P" then passkeys[#passkeys + 1] = value end
  end
end

function setup(thread)
  thread:set("tid", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  load_fixture(args[1])
  mode = args[2] or mode
  path = args[3] or path
  rate = tonumber(args[4] or "0")
  math.randomseed(os.time() * 1000 + (tid or 0))
  failures, warnings, bodies = 0, 0, 0
  if rate > 0 then gap_ms = 1000 / rate end
end

function delay()
  if gap_ms == 0 then return 0 end
  local now = now_ms()
  local slot = math.max(next_slot, now)
  next_slot = slot + gap_ms
  return slot - now
end

local function random_peer_id()
  local t = {}
  for i = 1, 12 do t[i] = string.char(math.random(97, 122)) end
  return "-qB4650-" .. table.concat(t)
end

local headers = { ["Connection"] = "close", ["User-Agent"] = "qBittorrent/4.6.5" }

local function open_request()
  local h = hashes[math.random(#hashes)]
  local left = (math.random(4) == 1) and 0 or 1048576 * math.random(1, 100)
  local q = "?info_hash=" .. h .. "&peer_id=" .. random_peer_id() ..
    "&port=" .. math.random(1025, 65000) .. "&uploaded=0&downloaded=0&left=" .. left ..
    "&compact=1&numwant=50&event=started"
  return wrk.format("GET", path .. q, headers)
end

local function passkey_request()
  local m = math.random(#passkeys)
  local r = math.random(#hashes)
  local seeder = ((m * 31 + r) % 4) == 0
  -- the same member announcing the same release twice uses the same peer_id
  local peer_id = string.format("-qB4650-%06x%06x", m, r)
  local key = m * 65536 + r
  local event = ""
  if not started[key] then started[key] = true; event = "&event=started" end
  local elapsed = os.time() - t0
  local uploaded = elapsed * 262144 * ((m % 7) + 1)
  local downloaded = seeder and 0 or elapsed * 524288
  local left = seeder and 0 or 1073741824
  local q = "/" .. passkeys[m] .. "/announce?info_hash=" .. hashes[r] .. "&peer_id=" .. peer_id ..
    "&port=" .. (1025 + (m % 60000)) .. "&uploaded=" .. uploaded .. "&downloaded=" .. downloaded ..
    "&left=" .. left .. "&compact=1&numwant=50&key=" .. string.format("%08X", m) .. event
  return wrk.format("GET", q, headers)
end

function request()
  counter = counter + 1
  if mode == "passkey" then return passkey_request() end
  return open_request()
end

function response(status, headers, body)
  bodies = bodies + 1
  if body and body:find("failure reason", 1, true) then failures = failures + 1 end
  if body and body:find("warning message", 1, true) then warnings = warnings + 1 end
end

function done(summary, latency, requests)
  local f, w, b = 0, 0, 0
  for _, thread in ipairs(threads) do
    f = f + (thread:get("failures") or 0)
    w = w + (thread:get("warnings") or 0)
    b = b + (thread:get("bodies") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"failures":%d,"warnings":%d,"bodies":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, f, w, b))
end
