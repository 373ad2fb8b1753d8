#!/usr/bin/env python3
"""A minimal FCoE VN2VN initiator on the far end of a tap device, for
host-only tests of stmfd's FCoE port (no guest, no kernel FCoE stack).

The test owns the tap's character device: what it writes there arrives at
the interface as if from the wire (stmfd's AF_PACKET socket receives it),
and what stmfd sends on the interface is read here. Opening the tap with
TUNSETIFF creates the interface when it does not exist yet; closing the
last descriptor of a non-persistent tap removes it.

What it speaks (enough for SCSI over FCP, nothing more):
  - FIP VN2VN (FC-BB-6 7.8.7): a claim notification for a fixed port ID,
    claim responses to the target's claims, probe replies for our ID, a
    beacon every BEACON_S seconds (a thread), and it learns the target's
    port ID and MACs from its claims, claim responses and beacons;
  - FCoE framing (FC-BB-6 7.3): SOF/EOF, FC CRC (zlib crc32, sent least
    significant byte first), frames for our VN_Port MAC only;
  - PLOGI and PRLI (FC-LS-3 4.3.11, FCP-4 6.3) sent as FCoE frames (our
    port name is chosen greater than the target's, so the target waits for
    our PLOGI); FCP_CMND/XFER_RDY/DATA/RSP (FCP-4 9).
Every wait has a deadline. Standard library only; Linux, root.
"""

import fcntl
import os
import select
import struct
import threading
import time
import zlib

TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000
ETH_FIP, ETH_FCOE = 0x8914, 0x8906
ALL_VN2VN = bytes.fromhex("011018010004")
FC_MAP = 0x0EFD00
BEACON_S = 4.0  # the target forgets a peer silent for 20 s (FC-BB-6: 2.5 beacon periods)

# FIP (FC-BB-6 7.8): operations, VN2VN subcodes, descriptor types.
OP_LS, OP_VN2VN = 2, 5
PROBE_REQ, PROBE_REP, CLAIM_NOTIFY, CLAIM_RESP, BEACON = 1, 2, 3, 4, 5
D_MAC, D_NAME, D_MAX_SIZE, D_VN_ID, D_FC4 = 2, 4, 6, 11, 15

# FC (FC-FS-4 9): R_CTL, TYPE, F_CTL bits.
R_FCP_DATA, R_XFER_RDY, R_FCP_CMND, R_FCP_RSP = 0x01, 0x05, 0x06, 0x07
R_ELS_REQ, R_ELS_REP = 0x22, 0x23
T_ELS, T_FCP = 0x01, 0x08
F_FIRST, F_LAST, F_END, F_SI, F_RO = 1 << 21, 1 << 20, 1 << 19, 1 << 16, 1 << 3
F_RESPONDER = 1 << 23
SOF_I3, SOF_N3, EOF_N, EOF_T = 0x2E, 0x36, 0x41, 0x42
LS_ACC, PLOGI, PRLI, LOGO = 0x02, 0x03, 0x20, 0x05


class FcError(Exception):
    pass


def vn_mac(port_id):
    return struct.pack(">I", FC_MAP)[1:] + port_id.to_bytes(3, "big")


def mac_text(m):
    return ":".join(f"{b:02x}" for b in m)


# ---------------------------------------------------------------------------
# FIP PDUs.


def fip_desc(dtype, value):
    words = (2 + len(value) + 3) // 4
    return bytes([dtype, words]) + value + bytes(words * 4 - 2 - len(value))


def fip_frame(dst, src, op, sub, descs, flags=0):
    body = b"".join(descs)
    pdu = struct.pack(">BBHBBHH", 0x10, 0, op, 0, sub, len(body) // 4, flags) + body
    return (dst + src + struct.pack(">H", ETH_FIP) + pdu).ljust(60, b"\0")


def fip_parse(pdu):
    """(op, subcode, {type: value}) or None."""
    if len(pdu) < 10 or pdu[0] >> 4 != 1:
        return None
    op, sub, words = struct.unpack_from(">H", pdu, 2)[0], pdu[5], struct.unpack_from(">H", pdu, 6)[0]
    descs, at, end = {}, 10, 10 + words * 4
    if end > len(pdu):
        return None
    while at < end:
        dlen = pdu[at + 1] * 4
        if dlen == 0 or at + dlen > end:
            return None
        descs.setdefault(pdu[at], pdu[at + 2:at + dlen])
        at += dlen
    return op, sub, descs


# ---------------------------------------------------------------------------
# FC frames.


def fc_header(r_ctl, d_id, s_id, ftype, f_ctl, ox, rx=0xFFFF, seq_id=0, seq_cnt=0, param=0):
    return struct.pack(">B3sB3sB3sBBHHHI", r_ctl, d_id.to_bytes(3, "big"), 0, s_id.to_bytes(3, "big"), ftype,
                       f_ctl.to_bytes(3, "big"), seq_id, 0, seq_cnt, ox, rx, param)


def fc_parse(b):
    r_ctl, d_id, _, s_id, ftype, f_ctl, seq_id, df, seq_cnt, ox, rx, param = struct.unpack_from(
        ">B3sB3sB3sBBHHHI", b)
    fill = int.from_bytes(f_ctl, "big") & 3
    return {"r_ctl": r_ctl, "d_id": int.from_bytes(d_id, "big"), "s_id": int.from_bytes(s_id, "big"),
            "type": ftype, "f_ctl": int.from_bytes(f_ctl, "big"), "seq_cnt": seq_cnt, "ox": ox, "rx": rx,
            "param": param, "payload": b[24:len(b) - fill]}


def login_payload(code, wwpn, wwnn, rx_size=2048):
    """PLOGI parameters (FC-LS-3 Table 135): class 3 valid, sequential delivery."""
    common = struct.pack(">HHHHII", 0x2020, 10, 0, rx_size, 0, 2000)
    class3 = struct.pack(">HHHHHHH2x", 0x8000 | 0x0800, 0, 0, rx_size, 255, 0, 1)
    return bytes([code, 0, 0, 0]) + common + struct.pack(">QQ", wwpn, wwnn) + bytes(32) + class3 + bytes(32)


def parse_sense(s):
    if len(s) >= 4 and s[0] & 0x7F in (0x72, 0x73):
        return (s[1] & 0x0F, s[2], s[3])
    if len(s) >= 14 and s[0] & 0x7F in (0x70, 0x71):
        return (s[2] & 0x0F, s[12], s[13])
    return (None, None, None)


class Initiator:
    """One VN_Port on the tap's far side. open() creates or attaches the tap."""

    def __init__(self, tap, wwpn, port_id, enode=bytes.fromhex("5254000fc0a1"), log=print):
        self.tap, self.wwpn, self.wwnn = tap, wwpn, wwpn ^ (1 << 56)
        self.port_id, self.enode, self.vn_mac = port_id, enode, vn_mac(port_id)
        self.log = log
        self.fd = -1
        self.lock = threading.Lock()
        self.stop_beacons = threading.Event()
        self.beacons = None
        self.target = None  # {"id", "enode", "vn_mac", "wwpn"}
        self.frames = []
        self.next_ox = 0x200
        self.rx_size = 2048

    # -- the tap ----------------------------------------------------------

    def open(self):
        fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", self.tap.encode(), IFF_TAP | IFF_NO_PI))
        self.fd = fd
        self.target = None
        self.frames = []
        self.stop_beacons.clear()
        self.beacons = threading.Thread(target=self._beacon_loop, daemon=True)
        self.beacons.start()

    def close(self):
        self.stop_beacons.set()
        if self.beacons:
            self.beacons.join(10)
        with self.lock:
            if self.fd >= 0:
                os.close(self.fd)
            self.fd = -1

    def _write(self, frame):
        with self.lock:
            if self.fd < 0:
                return False
            try:
                os.write(self.fd, frame)
                return True
            except OSError:  # EIO while the interface is down
                return False

    # -- FIP VN2VN -----------------------------------------------------------

    def _vn2vn(self, sub, dst, claim=False):
        descs = [fip_desc(D_MAC, self.enode), fip_desc(D_NAME, bytes(2) + struct.pack(">Q", self.wwnn)),
                 fip_desc(D_VN_ID, self.vn_mac + b"\0" + self.port_id.to_bytes(3, "big") +
                          struct.pack(">Q", self.wwpn))]
        if claim:
            fc4 = bytearray(162)
            fc4[4] = 0x01              # FC-4 type 08h (FCP) in the type map
            fc4[2 + 32 + 4 + 3] = 0x2  # FCP features: initiator
            descs.append(fip_desc(D_FC4, bytes(fc4)))
            descs.append(fip_desc(D_MAX_SIZE, struct.pack(">H", 2158)))
        self._write(fip_frame(dst, self.enode, OP_VN2VN, sub, descs))

    def _beacon_loop(self):
        while not self.stop_beacons.wait(BEACON_S):
            self._vn2vn(BEACON, ALL_VN2VN)

    def _on_fip(self, src, pdu):
        p = fip_parse(pdu)
        if not p or p[0] != OP_VN2VN or D_VN_ID not in p[2] or D_MAC not in p[2]:
            return
        sub, d = p[1], p[2]
        vid = d[D_VN_ID]
        peer = {"id": int.from_bytes(vid[7:10], "big"), "vn_mac": bytes(vid[0:6]),
                "wwpn": struct.unpack_from(">Q", vid, 10)[0], "enode": bytes(d[D_MAC][0:6])}
        if peer["id"] == self.port_id:
            if sub == PROBE_REQ:
                self._vn2vn(PROBE_REP, peer["enode"])
            return
        if sub == CLAIM_NOTIFY:
            self._vn2vn(CLAIM_RESP, peer["enode"], claim=True)
            self.target = peer
        elif sub == CLAIM_RESP:
            self.target = peer
        elif sub == BEACON and (self.target is None or self.target["id"] != peer["id"]):
            self._vn2vn(CLAIM_NOTIFY, ALL_VN2VN, claim=True)  # an unknown port: announce ourselves

    def _on_fcoe(self, eth):
        if eth[0:6] != self.vn_mac or len(eth) < 14 + 14 + 24 + 8:
            return
        fc = eth[28:-8]
        crc = struct.unpack_from("<I", eth, len(eth) - 8)[0]
        if crc != zlib.crc32(fc) & 0xFFFFFFFF:
            raise FcError("FC CRC mismatch in a frame from the target")
        self.frames.append(fc_parse(fc))

    def poll(self, timeout):
        """Reads and dispatches what arrives for up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or self.fd < 0:
                return
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                return
            while True:
                try:
                    eth = os.read(self.fd, 65536)
                except BlockingIOError:
                    break
                except OSError:
                    return
                etype = struct.unpack_from(">H", eth, 12)[0] if len(eth) >= 14 else 0
                if etype == ETH_FIP:
                    self._on_fip(eth[6:12], eth[14:])
                elif etype == ETH_FCOE:
                    self._on_fcoe(eth)
            if self.frames:
                return

    def claim(self, timeout=20):
        """Claims our port ID until the target answers (or claims itself)."""
        deadline = time.monotonic() + timeout
        while self.target is None:
            if time.monotonic() >= deadline:
                raise FcError(f"no VN2VN answer from the target on {self.tap} in {timeout} s")
            self._vn2vn(CLAIM_NOTIFY, ALL_VN2VN, claim=True)
            self.poll(0.5)
        self.log(f"fc: VN2VN peer {self.target['wwpn']:016x} holds port id {self.target['id']:06x} "
                 f"(VN_Port MAC {mac_text(self.target['vn_mac'])})")
        return self.target

    # -- FC frames -----------------------------------------------------------

    def send_fc(self, hdr, payload=b""):
        pad = (4 - len(payload) % 4) % 4
        f_ctl = int.from_bytes(hdr[9:12], "big") | pad
        hdr = hdr[:9] + f_ctl.to_bytes(3, "big") + hdr[12:]
        fc = hdr + payload + bytes(pad)
        seq_cnt = struct.unpack_from(">H", hdr, 14)[0]
        sof = SOF_I3 if seq_cnt == 0 else SOF_N3
        eof = EOF_T if f_ctl & F_END else EOF_N
        eth = (self.target["vn_mac"] + self.vn_mac + struct.pack(">H", ETH_FCOE) + b"\0" * 13 + bytes([sof]) + fc +
               struct.pack("<I", zlib.crc32(fc) & 0xFFFFFFFF) + bytes([eof, 0, 0, 0]))
        if not self._write(eth):
            raise FcError("the tap refused a frame (interface down?)")

    def next_of(self, ox, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            for i, f in enumerate(self.frames):
                if f["ox"] == ox:
                    return self.frames.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                raise FcError(f"no frame of exchange {ox:#x} in {timeout} s")
            self.poll(min(left, 0.5))

    def new_ox(self):
        self.next_ox = self.next_ox + 1 if self.next_ox < 0xFFF0 else 0x200
        return self.next_ox

    def els(self, payload):
        ox = self.new_ox()
        self.send_fc(fc_header(R_ELS_REQ, self.target["id"], self.port_id, T_ELS, F_FIRST | F_END | F_SI, ox),
                     payload)
        f = self.next_of(ox)
        if f["r_ctl"] != R_ELS_REP:
            raise FcError(f"ELS {payload[0]:#x}: answer r_ctl {f['r_ctl']:#x}")
        return f["payload"]

    def login(self):
        """PLOGI then PRLI (FCP image pair, initiator function)."""
        acc = self.els(login_payload(PLOGI, self.wwpn, self.wwnn))
        if not acc or acc[0] != LS_ACC:
            raise FcError(f"PLOGI not accepted: {acc[:8].hex()}")
        self.rx_size = min(2048, struct.unpack_from(">H", acc, 10)[0] & 0x0FFF)
        page = struct.pack(">BBBBIII", T_FCP, 0, 0x20, 0, 0, 0, 0x0020 | 0x0002)
        acc = self.els(bytes([PRLI, 16]) + struct.pack(">H", 20) + page)
        if not acc or acc[0] != LS_ACC or (acc[6] & 0x0F) != 1:
            raise FcError(f"PRLI not accepted: {acc[:20].hex()}")
        self.log(f"fc: logged in to {self.target['wwpn']:016x} (PLOGI, PRLI), receive size {self.rx_size}")

    def command(self, cdb, dl=0, read=False, write=False, data=b"", lun=0, timeout=10):
        """One FCP exchange; returns (status, sense triple, data in, residual flags byte)."""
        ox = self.new_ox()
        cmnd = (struct.pack(">H6x", lun) + bytes([0, 0, 0, (2 if read else 0) | (1 if write else 0)]) +
                bytes(cdb).ljust(16, b"\0") + struct.pack(">I", dl))
        self.send_fc(fc_header(R_FCP_CMND, self.target["id"], self.port_id, T_FCP, F_FIRST | F_END | F_SI, ox),
                     cmnd)
        buf = bytearray()
        while True:
            f = self.next_of(ox, timeout)
            if f["r_ctl"] == R_XFER_RDY:
                off, burst = struct.unpack_from(">II", f["payload"])
                if off + burst > len(data):
                    raise FcError(f"XFER_RDY for {off}+{burst} of a {len(data)}-byte write")
                pos, seq_cnt = off, 0
                while pos < off + burst:
                    n = min(self.rx_size, off + burst - pos)
                    last = pos + n == off + burst
                    self.send_fc(fc_header(R_FCP_DATA, self.target["id"], self.port_id, T_FCP,
                                           F_RO | ((F_END | F_SI) if last else 0), ox, f["rx"], 1, seq_cnt, pos),
                                 data[pos:pos + n])
                    pos, seq_cnt = pos + n, seq_cnt + 1
            elif f["r_ctl"] == R_FCP_DATA:
                off = f["param"]
                if len(buf) < off + len(f["payload"]):
                    buf.extend(bytes(off + len(f["payload"]) - len(buf)))
                buf[off:off + len(f["payload"])] = f["payload"]
            elif f["r_ctl"] == R_FCP_RSP:
                p = f["payload"]
                flags, status = p[10], p[11]
                sns = struct.unpack_from(">I", p, 16)[0] if flags & 0x02 else 0
                rsp = struct.unpack_from(">I", p, 20)[0] if flags & 0x01 else 0
                return status, parse_sense(p[24 + rsp:24 + rsp + sns]), bytes(buf), flags

    def tur_until_good(self):
        seen = []
        for _ in range(4):
            st, sense, _, _ = self.command(bytes(6))
            seen.append((st,) + sense)
            if st == 0:
                return seen
            if st != 2 or sense[0] != 6:
                break
        raise FcError(f"FC TEST UNIT READY never GOOD: {seen}")
