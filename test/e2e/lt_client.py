#!/usr/bin/python3
"""A real BitTorrent client for seedkeep's end-to-end tests, on python3-libtorrent.

  lt_client.py make  --payload DIR/FILE --size BYTES --piece BYTES --torrent OUT.torrent
  lt_client.py seed  --torrent T --save DIR --port P [--tracker URL...] [--timeout S] [TIERS]
  lt_client.py leech --torrent T --save DIR --port P [--tracker URL...] [--timeout S] [TIERS]

  TIERS: [--all-tiers] [--reannounce S] [--upload-limit BYTES] [--quick-retry]

Prints one JSON object per line: {"event": ...}. `make` writes a random payload and a private
.torrent. `seed` announces and uploads until SIGTERM or stdin closes (the test's signal that
the leecher is done), then stops the torrent so libtorrent sends the `stopped` announce with
its final totals. `leech` downloads, waits for the `completed` announce, then stops the same
way. Both exit 0 when done, 2 on timeout. Settings for clients on one loopback address:
every peer is 127.0.0.1, so multiple connections per IP are allowed; DHT, LSD, UPnP and
NAT-PMP are off; each client has its own listen port. --tracker (repeatable: one tier each)
replaces the .torrent's trackers. Without --tracker the client uses the
trackers in the .torrent (a member's download: its announce-list tiers, BEP 12);
--all-tiers announces to every tier and every tracker in a tier, as qBittorrent does by
default; --reannounce S sends a plain re-announce to every tracker every S seconds (ignoring
the min interval libtorrent keeps, so the tracker's own is what is tested); --upload-limit
caps the upload rate so a transfer lasts long enough for re-announces; --quick-retry shortens
libtorrent's tracker timeout and its back-off, so a timed-out announce is retried in seconds.
"""
import argparse
import json
import os
import select
import signal
import sys
import time

import libtorrent as lt


def emit(event, **fields):
    fields["event"] = event
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def make(args):
    os.makedirs(os.path.dirname(args.payload), exist_ok=True)
    with open(args.payload, "wb") as out:
        out.write(os.urandom(args.size))
    fs = lt.file_storage()
    lt.add_files(fs, args.payload)
    # v1-only keeps the info hash a plain SHA-1 (the core maps v2 separately)
    t = lt.create_torrent(fs, args.piece, flags=lt.create_torrent.v1_only)
    t.set_priv(True)
    # no announce URL in the file: each client is given its member's URL (--tracker), as the
    # site does when it injects the passkey into a download
    lt.set_piece_hashes(t, os.path.dirname(args.payload))
    data = lt.bencode(t.generate())
    with open(args.torrent, "wb") as out:
        out.write(data)
    info = lt.torrent_info(args.torrent)
    emit("made", info_hash=str(info.info_hashes().v1), size=info.total_size(),
         piece_length=info.piece_length(), pieces=info.num_pieces())


def session_for(args):
    port = args.port
    settings = {
        "listen_interfaces": "127.0.0.1:%d" % port,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.status_notification
        | lt.alert.category_t.tracker_notification
        | lt.alert.category_t.error_notification,
        "stop_tracker_timeout": 5,
        "user_agent": "seedkeep-e2e/libtorrent",
        "announce_to_all_tiers": args.all_tiers,
        "announce_to_all_trackers": args.all_tiers,
    }
    if args.upload_limit:
        settings["upload_rate_limit"] = args.upload_limit
    if args.quick_retry:
        # a timed-out announce fails after 3 s and is tried again 10 s later, not ~45 s
        settings.update(tracker_receive_timeout=3, tracker_completion_timeout=6, tracker_backoff=0)
    ses = lt.session(settings)
    if args.upload_limit:
        # loopback peers are in the unlimited local class by default: put every address in
        # the global class, which the rate limit applies to
        every = lt.ip_filter()
        every.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
        ses.set_peer_class_filter(every)
    return ses


def add(ses, args, seeding):
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(args.torrent)
    atp.save_path = args.save
    if args.tracker:
        # this member's announce URLs (the passkey is personal), each its own tier (BEP 12)
        atp.trackers = args.tracker
        atp.tracker_tiers = list(range(len(args.tracker)))
    if seeding:
        atp.flags |= lt.torrent_flags.seed_mode
    atp.flags &= ~lt.torrent_flags.auto_managed
    atp.flags &= ~lt.torrent_flags.paused
    return ses.add_torrent(atp)


def url_of(alert):
    url = alert.tracker_url
    return url() if callable(url) else url


def report_alerts(ses, state):
    for a in ses.pop_alerts():
        if isinstance(a, lt.tracker_reply_alert):
            state["announces"] += 1
            emit("tracker_reply", peers=a.num_peers, url=url_of(a))
        elif isinstance(a, lt.tracker_error_alert):
            # failure_reason(): the tracker's own text (over UDP message() leaves it out)
            emit("tracker_error", message=a.message(), reason=a.failure_reason(), url=url_of(a))
        elif isinstance(a, lt.tracker_warning_alert):
            emit("tracker_warning", message=a.message(), url=url_of(a))
        elif isinstance(a, lt.tracker_announce_alert):
            emit("tracker_announce", kind=int(a.event))
        elif isinstance(a, lt.torrent_finished_alert):
            state["finished"] = True
            emit("finished")
        elif isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
            emit("error", message=a.message())


def status_line(h):
    s = h.status()
    emit("status", state=str(s.state), progress=round(s.progress, 4), peers=s.num_peers,
         uploaded=s.total_payload_upload, downloaded=s.total_payload_download,
         all_uploaded=s.all_time_upload, all_downloaded=s.all_time_download)


def stop(ses, h):
    """Stops the torrent so libtorrent announces `stopped` with its final totals."""
    status_line(h)
    h.pause(lt.torrent_handle.graceful_pause)
    deadline = time.time() + 10
    state = {"announces": 0, "finished": False}
    while time.time() < deadline:
        ses.wait_for_alert(200)
        for a in ses.pop_alerts():
            if isinstance(a, lt.tracker_reply_alert) or isinstance(a, lt.tracker_error_alert):
                emit("stopped_announce", message=a.message())
                return
            if isinstance(a, lt.torrent_paused_alert):
                emit("paused")
    emit("stopped_announce", message="timeout")


def stdin_closed():
    readable, _, _ = select.select([sys.stdin], [], [], 0)
    return bool(readable) and sys.stdin.read(1) == ""


def run(args, seeding):
    stopping = {"flag": False}
    signal.signal(signal.SIGTERM, lambda *_: stopping.update(flag=True))
    ses = session_for(args)
    h = add(ses, args, seeding)
    state = {"announces": 0, "finished": False}
    deadline = time.time() + args.timeout
    last_status = 0
    last_reannounce = time.time()
    emit("started", mode="seed" if seeding else "leech", port=args.port)
    while time.time() < deadline:
        ses.wait_for_alert(200)
        report_alerts(ses, state)
        if time.time() - last_status > 1:
            status_line(h)
            last_status = time.time()
        if args.reannounce and time.time() - last_reannounce > args.reannounce:
            h.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
            emit("reannounce")
            last_reannounce = time.time()
        if seeding and (stopping["flag"] or stdin_closed()):
            break
        if not seeding and state["finished"]:
            # the `completed` announce carries the totals; give it a moment to be answered
            settle = time.time() + 5
            before = state["announces"]
            while time.time() < settle and state["announces"] == before:
                ses.wait_for_alert(200)
                report_alerts(ses, state)
            break
    else:
        emit("timeout")
        stop(ses, h)
        return 2
    stop(ses, h)
    status_line(h)
    emit("done")
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["make", "seed", "leech"])
    parser.add_argument("--payload")
    parser.add_argument("--size", type=int, default=3 * 1024 * 1024)
    parser.add_argument("--piece", type=int, default=16 * 1024)
    parser.add_argument("--torrent", required=True)
    parser.add_argument("--save")
    parser.add_argument("--port", type=int)
    parser.add_argument("--tracker", action="append")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--all-tiers", action="store_true")
    parser.add_argument("--reannounce", type=float, default=0)
    parser.add_argument("--upload-limit", type=int, default=0)
    parser.add_argument("--quick-retry", action="store_true")
    args = parser.parse_args()
    if args.mode == "make":
        make(args)
        return 0
    return run(args, args.mode == "seed")


if __name__ == "__main__":
    sys.exit(main())
