#!/usr/bin/env python3
"""One LU over FCoE and iSCSI at once, and an FCoE interface that comes and
goes (issue 9 sections 2 and 5), against a running stmfd whose FC port is
bound to a tap that does not exist when the daemon starts.

usage: fc_iscsi_tap.py --port P --target IQN --tap NAME --stmfadm PATH

Steps, each printed as "ok: ..." (the first failure ends the run, exit 1):
  absent      list-fc-port shows the port "absent" with no remote ports,
              and iSCSI serves the LU meanwhile (a write, read back); the
              FC port's target port group (2, the iSCSI port's is 1) is
              offline seen from iSCSI (REPORT TARGET PORT GROUPS, and
              stmfadm list-tpg-alua's effective state; issue 7);
  appears     the tap is made (MTU 9000, up): the port goes online, the
              FCoE initiator (fcoe_tap.py) claims an ID, logs in (PLOGI,
              PRLI) and reads what iSCSI wrote; list-fc-port names it with
              a nexus; iSCSI hears ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h)
              and group 2 is active/optimized again;
  reservations (SPC-4 5.13): an FC Write Exclusive reservation conflicts
              for the iSCSI nexus (write: RESERVATION CONFLICT, read: GOOD)
              and back; PREEMPT from either side gives the other 2Ah/05h
              REGISTRATIONS PREEMPTED; releasing a Registrants Only
              reservation over FC gives iSCSI 2Ah/04h RESERVATIONS
              RELEASED; CLEAR over iSCSI gives FC 2Ah/03h RESERVATIONS
              PREEMPTED; both nexuses see one PR generation and holder;
  views       stmfadm add-view gives both nexuses 3Fh/0Eh REPORTED LUNS
              DATA HAS CHANGED, and REPORT LUNS over FC lists the new LUN;
  link down   ip link set down: the port goes offline and its remote port
              is logged out, iSCSI unharmed but told (2Ah/06h, group 2
              offline in RTPG and list-tpg-alua); up again: 2Ah/06h, group
              2 active/optimized, a new login works and reads the data back;
  removed     the tap is closed (it disappears): the port is "absent" with
              no remote ports; made again: online, login, data read back.
"""

import argparse
import json
import os
import signal
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fcoe_tap  # noqa: E402
import raw_iscsi as ri  # noqa: E402

FC_WWPN = 0x2100_5254_000F_C0A1  # greater than the example's target WWPN: we send the PLOGI
FC_PORT_ID = 0x00A1C1
BS = 512
WE, WE_RO = 1, 5  # PR types (SPC-4 Table 212)
ISCSI_GROUP, FC_GROUP = 1, 2  # target port groups (test_fc_iscsi_tap.sh's config)
ACTIVE_OPTIMIZED, OFFLINE = 0x0, 0xE  # asymmetric access states (SPC-4 6.27)


class Step(Exception):
    pass


def ok(msg):
    print(f"ok: {msg}", flush=True)


def expect(cond, msg):
    if not cond:
        raise Step(msg)


def pattern(n, seed):
    return bytes((seed + i * 7 + (i >> 9)) & 0xFF for i in range(n))


def cdb10(op, lba, blocks):
    return struct.pack(">BBIBHB", op, 0, lba, 0, blocks, 0)


def prout_cdb(sa, rtype):
    return struct.pack(">BBB2xIB", 0x5F, sa, rtype, 24, 0)


def prout_params(key, sa_key):
    return struct.pack(">QQ8x", key, sa_key)


class Run:
    def __init__(self, a):
        self.a = a
        self.ini = fcoe_tap.Initiator(a.tap, FC_WWPN, FC_PORT_ID, log=lambda m: print(m, flush=True))
        self.isc = None

    # -- admin -----------------------------------------------------------------

    def adm(self, *args):
        r = subprocess.run([self.a.stmfadm, *args], capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise Step(f"stmfadm {' '.join(args)}: status {r.returncode}: {r.stderr.strip()}")
        return r.stdout

    def fc_port(self):
        ports = json.loads(self.adm("--json", "list-fc-port", "-v"))["ports"]
        expect(len(ports) == 1, f"list-fc-port lists {len(ports)} ports: {ports}")
        return ports[0]

    def wait_port(self, what, cond, timeout=15):
        deadline = time.monotonic() + timeout
        while True:
            p = self.fc_port()
            if cond(p):
                return p
            if time.monotonic() >= deadline:
                raise Step(f"the FC port did not become {what} in {timeout} s: {p}")
            time.sleep(0.2)

    def ip(self, *args):
        subprocess.run(["ip", "link", "set", "dev", self.a.tap, *args], check=True, timeout=10)

    # -- the two initiators ------------------------------------------------------

    def isc_cmd(self, cdb, data=None, read_len=0):
        """(status, sense triple, data) of one iSCSI command."""
        if data is not None:
            rsp, _ = self.isc.write_cdb(cdb, data, len(data), "write")
            return rsp.bhs[3], ri.parse_sense(rsp.data), b""
        if read_len:
            return ri.read_command(self.isc, cdb, read_len)
        itt = self.isc.scsi_cmd(cdb)
        rsp = self.isc.scsi_response(itt)
        return rsp.bhs[3], ri.parse_sense(rsp.data), b""

    def fc_cmd(self, cdb, data=None, read_len=0):
        if data is not None:
            st, sense, _, _ = self.ini.command(cdb, len(data), write=True, data=data)
            return st, sense, b""
        st, sense, got, _ = self.ini.command(cdb, read_len, read=read_len > 0)
        return st, sense, got

    def tur_ua(self, side, want):
        """The next TEST UNIT READY on `side` reports unit attention `want` (ASC, ASCQ)."""
        cmd = self.fc_cmd if side == "FC" else self.isc_cmd
        st, sense, _ = cmd(bytes(6))
        expect(st == 2 and sense == (6,) + want,
               f"{side} TEST UNIT READY: status {st:#x} sense {sense}, expected UNIT ATTENTION {want}")

    # -- ALUA as the iSCSI side sees the FC port's group (issue 7) ---------------

    def rtpg(self):
        """REPORT TARGET PORT GROUPS through iSCSI: {group: asymmetric access state}."""
        st, sense, d = self.isc_cmd(struct.pack(">BBxxxxIxx", 0xA3, 0x0A, 512), read_len=512)
        expect(st == 0 and len(d) >= 4, f"iSCSI REPORT TARGET PORT GROUPS: status {st:#x} sense {sense}")
        groups, at = {}, 4
        while at + 8 <= len(d):
            groups[struct.unpack_from(">H", d, at + 2)[0]] = d[at] & 0x0F
            at += 8 + 4 * d[at + 7]
        return groups

    def alua_seen(self, fc_state, what):
        """RTPG through iSCSI and stmfadm list-tpg-alua agree that the FC group is in fc_state."""
        g = self.rtpg()
        expect(g.get(ISCSI_GROUP) == ACTIVE_OPTIMIZED and g.get(FC_GROUP) == fc_state,
               f"{what}: RTPG through iSCSI {g}, expected group {FC_GROUP} in state {fc_state:#x}")
        groups = {x["id"]: x for x in json.loads(self.adm("--json", "list-tpg-alua", "-v"))["groups"]}
        want = "offline" if fc_state == OFFLINE else "active-optimized"
        fc = groups.get(FC_GROUP, {})
        expect(fc.get("effectiveState") == want and fc.get("state") == "active-optimized",
               f"{what}: list-tpg-alua group {FC_GROUP}: {fc}, expected effective state {want}")
        expect(groups.get(ISCSI_GROUP, {}).get("effectiveState") == "active-optimized",
               f"{what}: list-tpg-alua group {ISCSI_GROUP}: {groups.get(ISCSI_GROUP)}")

    def wait_alua_ua(self, what, timeout=10):
        """The iSCSI nexus hears ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h) once the
        FC port's link change reached STMF (TURs before that are GOOD)."""
        deadline = time.monotonic() + timeout
        while True:
            st, sense, _ = self.isc_cmd(bytes(6))
            if st == 2 and sense == (6, 0x2A, 0x06):
                return
            expect(st == 0, f"{what}: iSCSI TEST UNIT READY: status {st:#x} sense {sense}, expected 2Ah/06h")
            expect(time.monotonic() < deadline, f"{what}: no 2Ah/06h through iSCSI within {timeout} s")
            time.sleep(0.1)

    def fc_login(self):
        self.ini.claim()
        self.ini.login()
        seen = self.ini.tur_until_good()
        p = self.wait_port("logged in", lambda p: any(
            r["wwpn"] == f"{FC_WWPN:016x}" and int(r["nexus"]) != 0 for r in p.get("remotePorts", [])))
        return p, seen

    def make_tap(self):
        self.ini.open()
        self.ip("mtu", "9000")
        self.ip("up")

    # -- steps -----------------------------------------------------------------

    def absent(self):
        p = self.fc_port()
        expect(p["state"] == "absent" and not p.get("remotePorts"), f"before the tap exists: {p}")
        self.isc = ri.Conn("127.0.0.1", self.a.port, "iscsi", 0)
        self.isc.login("iqn.2026-11.org.stmfd:fc-iscsi-tap", bytes([0x80, 0xFC, 0, 0, 0, 1]), self.a.target)
        seen = self.isc.tur_until_good()
        self.data0 = pattern(8 * BS, 0x31)
        st, _, _ = self.isc_cmd(cdb10(0x2A, 0, 8), self.data0)
        expect(st == 0, f"iSCSI WRITE with the FC port absent: status {st:#x}")
        st, _, got = self.isc_cmd(cdb10(0x28, 0, 8), read_len=8 * BS)
        expect(st == 0 and got == self.data0, "iSCSI read-back with the FC port absent differs")
        ok(f"FC port absent ({p['interface']}), iSCSI serves the LU meanwhile (first TURs {seen})")
        self.alua_seen(OFFLINE, "FC port absent")
        ok(f"ALUA: group {FC_GROUP} (the absent FC port's) is offline through iSCSI and in list-tpg-alua")

    def appears(self):
        self.make_tap()
        p = self.wait_port("online", lambda p: p["state"] == "online" and int(p["portId"]) != 0)
        self.wait_alua_ua("FC link up")
        self.alua_seen(ACTIVE_OPTIMIZED, "FC link up")
        ok(f"ALUA: iSCSI hears 2Ah/06h, group {FC_GROUP} active/optimized with the FC link up")
        p, seen = self.fc_login()
        st, _, got = self.fc_cmd(cdb10(0x28, 0, 8), read_len=8 * BS)
        expect(st == 0 and got == self.data0, f"FC READ of what iSCSI wrote: status {st:#x}, data differs")
        ok(f"tap made: port online (id {int(p['portId']):06x}), FC login, first TURs {seen}, "
           "FC reads what iSCSI wrote")

    def reservations(self):
        kf, ki = 0xFC01, 0x15C1
        expect(self.fc_cmd(prout_cdb(0, 0), prout_params(0, kf))[0] == 0, "FC REGISTER")
        expect(self.isc_cmd(prout_cdb(0, 0), prout_params(0, ki))[0] == 0, "iSCSI REGISTER")
        expect(self.fc_cmd(prout_cdb(1, WE), prout_params(kf, 0))[0] == 0, "FC RESERVE Write Exclusive")
        st = self.isc_cmd(cdb10(0x2A, 16, 1), pattern(BS, 1))[0]
        expect(st == 0x18, f"iSCSI WRITE under an FC Write Exclusive reservation: status {st:#x}")
        expect(self.isc_cmd(cdb10(0x28, 0, 1), read_len=BS)[0] == 0, "iSCSI READ under FC's WE reservation")
        expect(self.fc_cmd(cdb10(0x2A, 16, 1), pattern(BS, 2))[0] == 0, "FC WRITE as the holder")
        ok("an FC Write Exclusive reservation: iSCSI WRITE gets RESERVATION CONFLICT, READ GOOD")

        expect(self.isc_cmd(prout_cdb(4, WE), prout_params(ki, kf))[0] == 0, "iSCSI PREEMPT of FC's key")
        self.tur_ua("FC", (0x2A, 0x05))
        st = self.fc_cmd(cdb10(0x2A, 16, 1), pattern(BS, 3))[0]
        expect(st == 0x18, f"FC WRITE under iSCSI's reservation after the preempt: status {st:#x}")
        ok("iSCSI PREEMPT: FC gets 2Ah/05h REGISTRATIONS PREEMPTED, then RESERVATION CONFLICT on WRITE")

        kf = 0xFC02
        expect(self.fc_cmd(prout_cdb(0, 0), prout_params(0, kf))[0] == 0, "FC REGISTER again")
        expect(self.fc_cmd(prout_cdb(4, WE), prout_params(kf, ki))[0] == 0, "FC PREEMPT of iSCSI's key")
        self.tur_ua("iSCSI", (0x2A, 0x05))
        st = self.isc_cmd(cdb10(0x2A, 16, 1), pattern(BS, 4))[0]
        expect(st == 0x18, f"iSCSI WRITE under FC's reservation after the preempt: status {st:#x}")
        # Both nexuses read one reservation: FC's key, type WE.
        for side, cmd in (("iSCSI", self.isc_cmd), ("FC", self.fc_cmd)):
            st, _, d = cmd(struct.pack(">BB5xHB", 0x5E, 1, 64, 0), read_len=64)
            expect(st == 0 and len(d) >= 24, f"{side} READ RESERVATION: status {st:#x}")
            key, rtype = struct.unpack_from(">Q", d, 8)[0], d[21] & 0x0F
            expect(key == kf and rtype == WE, f"{side} READ RESERVATION: key {key:#x} type {rtype}")
        ok("FC PREEMPT: iSCSI gets 2Ah/05h, then RESERVATION CONFLICT; both read FC's WE reservation")

        ki = 0x15C2
        expect(self.isc_cmd(prout_cdb(0, 0), prout_params(0, ki))[0] == 0, "iSCSI REGISTER again")
        expect(self.fc_cmd(prout_cdb(2, WE), prout_params(kf, 0))[0] == 0, "FC RELEASE (WE)")
        expect(self.fc_cmd(prout_cdb(1, WE_RO), prout_params(kf, 0))[0] == 0, "FC RESERVE WE Registrants Only")
        expect(self.isc_cmd(cdb10(0x2A, 16, 1), pattern(BS, 5))[0] == 0, "iSCSI WRITE as a registrant (WE-RO)")
        expect(self.fc_cmd(prout_cdb(2, WE_RO), prout_params(kf, 0))[0] == 0, "FC RELEASE (WE-RO)")
        self.tur_ua("iSCSI", (0x2A, 0x04))
        ok("FC RELEASE of a Registrants Only reservation: iSCSI gets 2Ah/04h RESERVATIONS RELEASED")

        expect(self.fc_cmd(prout_cdb(1, WE), prout_params(kf, 0))[0] == 0, "FC RESERVE WE again")
        expect(self.isc_cmd(prout_cdb(3, 0), prout_params(ki, 0))[0] == 0, "iSCSI CLEAR")
        self.tur_ua("FC", (0x2A, 0x03))
        expect(self.fc_cmd(cdb10(0x2A, 16, 1), pattern(BS, 6))[0] == 0, "FC WRITE after CLEAR")
        expect(self.isc_cmd(cdb10(0x2A, 16, 1), pattern(BS, 7))[0] == 0, "iSCSI WRITE after CLEAR")
        ok("iSCSI CLEAR: FC gets 2Ah/03h RESERVATIONS PREEMPTED; both write again")

    def views(self):
        self.adm("add-view", "-n", "1", "extra")
        self.tur_ua("FC", (0x3F, 0x0E))
        self.tur_ua("iSCSI", (0x3F, 0x0E))
        st, _, d = self.fc_cmd(struct.pack(">BxBxxxIxx", 0xA0, 0, 256), read_len=256)
        expect(st == 0, f"FC REPORT LUNS: status {st:#x}")
        n = struct.unpack_from(">I", d)[0] // 8
        luns = sorted(struct.unpack_from(">H", d, 8 + 8 * i)[0] & 0x3FFF for i in range(n))
        expect(luns == [0, 1], f"FC REPORT LUNS after add-view: {luns}")
        ok("add-view: FC and iSCSI both get 3Fh/0Eh REPORTED LUNS DATA HAS CHANGED; FC REPORT LUNS lists 0 and 1")

    def link_down(self):
        self.data1 = pattern(4 * BS, 0x77)
        expect(self.fc_cmd(cdb10(0x2A, 64, 4), self.data1)[0] == 0, "FC WRITE before link down")
        self.ip("down")
        p = self.wait_port("offline with no remote ports",
                           lambda p: p["state"] == "offline" and not p.get("remotePorts"))
        self.wait_alua_ua("FC link down")
        self.alua_seen(OFFLINE, "FC link down")
        ok(f"ALUA: iSCSI hears 2Ah/06h, group {FC_GROUP} offline with the FC link down")
        st, _, got = self.isc_cmd(cdb10(0x28, 64, 4), read_len=4 * BS)
        expect(st == 0 and got == self.data1, "iSCSI read of FC's data while the FC link is down")
        ok(f"link down: port {p['state']}, its remote port logged out; iSCSI reads FC's data meanwhile")
        self.ip("up")
        self.ini.target = None
        p = self.wait_port("online again", lambda p: p["state"] == "online")
        self.wait_alua_ua("FC link up again")
        self.alua_seen(ACTIVE_OPTIMIZED, "FC link up again")
        ok(f"ALUA: iSCSI hears 2Ah/06h, group {FC_GROUP} active/optimized again")
        p, seen = self.fc_login()
        st, _, got = self.fc_cmd(cdb10(0x28, 64, 4), read_len=4 * BS)
        expect(st == 0 and got == self.data1, f"FC READ after re-login: status {st:#x}, data differs")
        ok(f"link up: a new FC login (first TURs {seen}), the data reads back")

    def removed(self):
        self.ini.close()
        p = self.wait_port("absent with no remote ports", lambda p: p["state"] == "absent" and not p.get("remotePorts"))
        self.isc.tur_until_good()
        ok("tap removed: port absent, remote port logged out, iSCSI unharmed")
        self.make_tap()
        self.wait_port("online after the tap came back", lambda p: p["state"] == "online")
        p, seen = self.fc_login()
        st, _, got = self.fc_cmd(cdb10(0x28, 0, 8), read_len=8 * BS)
        expect(st == 0 and got == self.data0, f"FC READ after the tap came back: status {st:#x}, data differs")
        ok(f"tap made again: online, a new FC login (first TURs {seen}), the data reads back")
        self.isc.logout()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--tap", required=True)
    ap.add_argument("--stmfadm", required=True)
    a = ap.parse_args()
    signal.alarm(240)  # nothing here may hang the test
    run = Run(a)
    try:
        for step in (run.absent, run.appears, run.reservations, run.views, run.link_down, run.removed):
            step()
    except (Step, fcoe_tap.FcError, ri.Failure, ri.Closed, ri.TimedOut, OSError,
            subprocess.SubprocessError) as e:
        print(f"FAIL: {type(e).__name__}: {e}", flush=True)
        return 1
    finally:
        run.ini.close()
    print("PASS: one LU over FCoE and iSCSI, FCoE interface absent, down, removed and back", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
