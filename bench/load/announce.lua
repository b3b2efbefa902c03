-- wrk load for HTTP announces (BEP 3). Usage:
--   wrk -t1 -c50 -d20s -s announce.lua http://127.0.0.1:PORT -- FIXTURE MODE PATH RATE [STATE POPULATION NEW SESSION]
-- MODE "open": path PATH (default /announce), a random peer_id on every request, a quarter
--   of them seeding (left=0), like a swarm of fresh clients.
-- MODE "passkey": /<passkey>/announce for a random member; that member's peer ids are
--   derived from (member, release) so the tracker sees consistent (user, peer_id) pairs and
--   rising counters, as its accounting expects; a quarter of those peers are seeders.
-- MODE "steady": a fixed population of POPULATION peers of the fixture's members, each with
--   its own session: the first run announces every peer once (event=started, in order), then
--   peers are picked at random and re-announce with counters rising with the time since their
--   session started; a share NEW of announces is a new peer taking the slot of one that left
--   without a word, a share SESSION is a peer sending event=stopped (its next announce starts
--   a new session from zero, as clients do). The population's state is read from and written
--   back to the file STATE, so the warm-up, the measured run and later rounds continue it.
--   The stress load is MODE "passkey", where nearly every announce is a new peer.
-- RATE (requests/s of one thread, 0: unpaced): paces requests with delay() for the
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
-- steady mode: per slot, the generation (which peer holds it), its session start, in a session
-- (globals: done() runs in wrk's main Lua state and reads them from the thread)
local new_share, session_share = 0, 0
population, state_file = 0, nil
gen, since, active = {}, {}, {}
local next_cold = 1

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
-- wall clock: sessions outlive one wrk process
local function wall_ms()
  ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME
  return tonumber(ts.tv_sec) * 1000 + math.floor(tonumber(ts.tv_nsec) / 1e6)
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

-- one line per slot announced so far: "slot generation since active"
local function load_state(file)
  local f = io.open(file, "r")
  if not f then return end
  for line in f:lines() do
    local s, g, t, a = line:match("^(%d+) (%d+) (%d+) (%d)$")
    if s then
      s = tonumber(s)
      gen[s], since[s], active[s] = tonumber(g), tonumber(t), a == "1"
    end
  end
  f:close()
  while gen[next_cold] ~= nil do next_cold = next_cold + 1 end
end

function init(args)
  load_fixture(args[1])
  mode = args[2] or mode
  path = args[3] or path
  rate = tonumber(args[4] or "0")
  if mode == "steady" then
    state_file = args[5]
    population = tonumber(args[6])
    new_share = tonumber(args[7])
    session_share = tonumber(args[8])
    load_state(state_file)
  end
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

-- the slot's next event: "started" for a new peer or a new session, sometimes "stopped"
local function next_event(s, now)
  if gen[s] == nil then
    gen[s], since[s], active[s] = 0, now, true
    return "&event=started"
  end
  if not active[s] then
    since[s], active[s] = now, true
    return "&event=started"
  end
  local x = math.random()
  if x < new_share then
    gen[s], since[s] = gen[s] + 1, now
    return "&event=started"
  end
  if x < new_share + session_share then
    active[s] = false
    return "&event=stopped"
  end
  return ""
end

local function steady_request()
  local s
  if next_cold <= population then
    s = next_cold -- warm the whole population first, in order
    next_cold = next_cold + 1
  else
    s = math.random(population)
  end
  local now = wall_ms()
  local event = next_event(s, now)
  -- one identity per (slot, generation): its member, release, peer_id and port follow from it
  local k = s + gen[s] * population
  local h = (k * 2654435761) % 4294967296 -- a bijection: distinct peers get distinct (member, release)
  local m = h % #passkeys + 1
  local r = math.floor(h / #passkeys) % #hashes + 1
  local seeder = (k % 4) == 0
  local elapsed = now - since[s]
  local uploaded = math.floor(elapsed * 262.144 * ((k % 7) + 1))
  local downloaded = seeder and 0 or math.floor(elapsed * 524.288)
  local left = seeder and 0 or 1073741824
  local q = "/" .. passkeys[m] .. "/announce?info_hash=" .. hashes[r] .. "&peer_id=" .. string.format("-qB4650-%012x", k) ..
    "&port=" .. (1025 + (k % 60000)) .. "&uploaded=" .. uploaded .. "&downloaded=" .. downloaded ..
    "&left=" .. left .. "&compact=1&numwant=50&key=" .. string.format("%08X", k % 4294967296) .. event
  return wrk.format("GET", q, headers)
end

function request()
  counter = counter + 1
  if mode == "steady" then return steady_request() end
  if mode == "passkey" then return passkey_request() end
  return open_request()
end

function response(status, headers, body)
  bodies = bodies + 1
  if body and body:find("failure reason", 1, true) then failures = failures + 1 end
  if body and body:find("warning message", 1, true) then warnings = warnings + 1 end
end

local function save_state(thread)
  local file, population = thread:get("state_file"), thread:get("population")
  if not file then return 0 end
  local g, t, a = thread:get("gen"), thread:get("since"), thread:get("active")
  local out, n = {}, 0
  for s = 1, population do
    if g[s] ~= nil then
      n = n + 1
      out[n] = string.format("%d %d %d %d", s, g[s], t[s], a[s] and 1 or 0)
    end
  end
  local f = assert(io.open(file, "w"))
  f:write(table.concat(out, "\n"), "\n")
  f:close()
  return n
end

function done(summary, latency, requests)
  local f, w, b, warm = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    f = f + (thread:get("failures") or 0)
    w = w + (thread:get("warnings") or 0)
    b = b + (thread:get("bodies") or 0)
  end
  -- one thread in steady mode (the bench runs -t1): its population is the state
  warm = save_state(threads[1])
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"failures":%d,"warnings":%d,"bodies":%d,"warm":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, f, w, b, warm))
end
