#!/usr/bin/env python3
"""A minimal raw iSCSI initiator (RFC 7143) for protocol edge cases that
libiscsi cannot produce: malformed PDUs, wrong digests, out-of-window
CmdSN, unanswered NOP-In pings, session reinstatement, task management.

usage: raw_iscsi.py --port PORT --target IQN [--host H] [--lun N] SCENARIO

Every scenario prints PASS/FAIL lines and the process exits 0 only when all
its checks passed. Every socket read has a deadline and the whole scenario
is bounded by an alarm, so nothing here can hang. Standard library only.
"""

import argparse
import os
import signal
import socket
import struct
import sys
import time

# ---------------------------------------------------------------------------
# CRC32C (Castagnoli, reflected polynomial 0x82F63B78), RFC 7143 13.1 / B.4.
# On the wire the 32-bit digest goes least significant byte first.


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def digest_bytes(data):
    return struct.pack("<I", crc32c(data))


# Known answers (RFC 3720 B.4), checked at start-up.
assert digest_bytes(bytes(32)) == bytes.fromhex("aa36918a")
assert digest_bytes(b"\xff" * 32) == bytes.fromhex("43aba862")
assert digest_bytes(bytes(range(32))) == bytes.fromhex("4e79dd46")
assert digest_bytes(bytes(range(31, -1, -1))) == bytes.fromhex("5cdb3f11")

# ---------------------------------------------------------------------------
# Opcodes (RFC 7143 11.1.1) and constants.

OP_NOP_OUT, OP_SCSI_CMD, OP_TMF_REQ, OP_LOGIN_REQ = 0x00, 0x01, 0x02, 0x03
OP_TEXT_REQ, OP_DATA_OUT, OP_LOGOUT_REQ, OP_SNACK = 0x04, 0x05, 0x06, 0x10
OP_NOP_IN, OP_SCSI_RSP, OP_TMF_RSP, OP_LOGIN_RSP = 0x20, 0x21, 0x22, 0x23
OP_TEXT_RSP, OP_DATA_IN, OP_LOGOUT_RSP, OP_R2T = 0x24, 0x25, 0x26, 0x31
OP_ASYNC, OP_REJECT = 0x32, 0x3F
IMMEDIATE = 0x40
RSVD_TAG = 0xFFFFFFFF

# Target PDUs whose StatSN advances the connection's StatSN (RFC 7143 4.2.2.2):
# the NOP-In ping (ITT 0xffffffff), R2T, Async and Data-In without S do not.
_STATUS_OPS = {OP_SCSI_RSP, OP_TMF_RSP, OP_LOGIN_RSP, OP_TEXT_RSP,
               OP_LOGOUT_RSP, OP_REJECT}

SCENARIO_SECONDS = 16


class Failure(Exception):
    """A check failed: the message says what the target did."""


class Closed(Exception):
    """The target closed the connection (EOF or reset)."""


class TimedOut(Exception):
    """Nothing (complete) arrived before the deadline."""


def hexdump(b, limit=96):
    h = b[:limit].hex()
    return " ".join(h[i:i + 8] for i in range(0, len(h), 8)) + (
        " ..." if len(b) > limit else "")


def lun_bytes(lun):
    # SAM-5 4.7: single-level peripheral device addressing for LUN < 256.
    if lun < 256:
        return bytes([0, lun]) + bytes(6)
    return bytes([0x40 | (lun >> 8), lun & 0xFF]) + bytes(6)


def encode_keys(pairs):
    return b"".join(f"{k}={v}".encode() + b"\0" for k, v in pairs)


def decode_keys(data):
    keys = {}
    order = []
    for item in data.split(b"\0"):
        if not item:
            continue
        k, _, v = item.decode(errors="replace").partition("=")
        keys.setdefault(k, v)
        order.append((k, v))
    return keys, order


def be32(b, off):
    return struct.unpack_from(">I", b, off)[0]


def pad4(n):
    return (n + 3) & ~3


class Pdu:
    def __init__(self, bhs, ahs, data, raw):
        self.bhs = bhs
        self.ahs = ahs
        self.data = data
        self.raw = raw          # everything as received, digests included

    @property
    def opcode(self):
        return self.bhs[0] & 0x3F

    @property
    def flags(self):
        return self.bhs[1]

    @property
    def itt(self):
        return be32(self.bhs, 16)

    @property
    def ttt(self):
        return be32(self.bhs, 20)

    @property
    def stat_sn(self):
        return be32(self.bhs, 24)

    @property
    def exp_cmd_sn(self):
        return be32(self.bhs, 28)

    @property
    def max_cmd_sn(self):
        return be32(self.bhs, 32)

    def hex(self):
        return f"BHS {hexdump(self.bhs, 48)} | data[{len(self.data)}] {hexdump(self.data, 64)}"


# ---------------------------------------------------------------------------
# One iSCSI connection.


class Conn:
    def __init__(self, host, port, name="conn", lun=0):
        self.name = name
        self.lun = lun              # LUN of SCSI commands unless given
        self.sock = socket.create_connection((host, port), timeout=5)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.hd = False             # header digest in use (after login)
        self.dd = False             # data digest in use (after login)
        self.cmd_sn = 1             # next CmdSN to send
        self.exp_cmd_sn = 1
        self.max_cmd_sn = 1
        self.exp_stat_sn = 0
        self.next_itt = 0x100
        self.target_mrdsl = 8192    # RFC 7143 13.12 default
        self.tsih = 0
        self.answer_pings = True
        self.pings_answered = 0
        self.login_keys = {}

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def itt(self):
        self.next_itt += 1
        return self.next_itt

    # -- sending ----------------------------------------------------------

    def send_pdu(self, bhs, data=b"", bad_hd=False, bad_dd=False):
        assert len(bhs) == 48
        out = bytearray(bhs)
        if self.hd:
            d = bytearray(digest_bytes(bhs))
            if bad_hd:
                d[0] ^= 0xFF
            out += d
        if data:
            padded = data + bytes(pad4(len(data)) - len(data))
            out += padded
            if self.dd:
                d = bytearray(digest_bytes(padded))
                if bad_dd:
                    d[0] ^= 0xFF
                out += d
        self.sock.settimeout(5)
        self.sock.sendall(bytes(out))

    def bhs(self, opcode, flags, lun=0, itt=RSVD_TAG, dlen=0):
        b = bytearray(48)
        b[0] = opcode
        b[1] = flags
        b[5:8] = dlen.to_bytes(3, "big")
        b[8:16] = lun_bytes(lun)
        struct.pack_into(">I", b, 16, itt)
        return b

    # -- receiving --------------------------------------------------------

    def _recv_exact(self, n, deadline):
        buf = bytearray()
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                if buf:
                    raise Failure(f"{self.name}: partial PDU ({len(buf)} of {n} bytes) "
                                  f"then silence: {hexdump(bytes(buf))}")
                raise TimedOut()
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(n - len(buf))
            except socket.timeout:
                continue
            except ConnectionResetError:
                raise Closed("connection reset")
            if not chunk:
                if buf:
                    raise Closed(f"EOF inside a PDU after {len(buf)} bytes: {hexdump(bytes(buf))}")
                raise Closed("EOF")
            buf += chunk
        return bytes(buf)

    def recv_raw(self, timeout):
        """One PDU, digests checked; raises Closed/TimedOut/Failure."""
        deadline = time.monotonic() + timeout
        bhs = self._recv_exact(48, deadline)
        # Once a BHS is in, the rest of its PDU is read whatever the caller's
        # deadline: timing out between the BHS and its digest would drop the
        # BHS and leave the stream 4 bytes out of step (seen when a NOP-In
        # ping arrived at the very end of a 1 s "expect nothing" window).
        deadline = max(deadline, time.monotonic() + 5)
        raw = bytearray(bhs)
        ahs_len = bhs[4] * 4
        dlen = int.from_bytes(bhs[5:8], "big")
        ahs = self._recv_exact(ahs_len, deadline) if ahs_len else b""
        raw += ahs
        if self.hd:
            hd = self._recv_exact(4, deadline)
            raw += hd
            if hd != digest_bytes(bhs + ahs):
                raise Failure(f"{self.name}: bad header digest from target: got {hd.hex()} "
                              f"want {digest_bytes(bhs + ahs).hex()}; BHS {hexdump(bhs, 48)}")
        data = b""
        if dlen:
            padded = self._recv_exact(pad4(dlen), deadline)
            raw += padded
            data = padded[:dlen]
            if self.dd:
                dd = self._recv_exact(4, deadline)
                raw += dd
                if dd != digest_bytes(padded):
                    raise Failure(f"{self.name}: bad data digest from target: got {dd.hex()} "
                                  f"want {digest_bytes(padded).hex()}; BHS {hexdump(bhs, 48)}")
        pdu = Pdu(bhs, ahs, data, bytes(raw))
        self._track(pdu)
        return pdu

    def _track(self, pdu):
        op = pdu.opcode
        if op in (OP_ASYNC, OP_R2T, OP_NOP_IN, OP_DATA_IN) or op in _STATUS_OPS:
            advances = op in _STATUS_OPS or (op == OP_NOP_IN and pdu.itt != RSVD_TAG) or (
                op == OP_DATA_IN and pdu.flags & 0x01)
            if advances:
                self.exp_stat_sn = max(self.exp_stat_sn, (pdu.stat_sn + 1) & 0xFFFFFFFF)
            e, m = pdu.exp_cmd_sn, pdu.max_cmd_sn
            # RFC 7143 4.2.2.1: MaxCmdSN < ExpCmdSN - 1 means "ignore".
            if (m - e + 1) & 0x80000000 == 0:
                self.exp_cmd_sn, self.max_cmd_sn = e, m

    def is_ping(self, pdu):
        return pdu.opcode == OP_NOP_IN and pdu.itt == RSVD_TAG and pdu.ttt != RSVD_TAG

    def answer_ping(self, pdu):
        """RFC 7143 11.18: NOP-Out, I bit, ITT 0xffffffff, TTT and LUN echoed."""
        b = bytearray(48)
        b[0] = IMMEDIATE | OP_NOP_OUT
        b[1] = 0x80
        b[8:16] = pdu.bhs[8:16]
        struct.pack_into(">IIII", b, 16, RSVD_TAG, pdu.ttt, self.cmd_sn, self.exp_stat_sn)
        self.send_pdu(b)
        self.pings_answered += 1

    def recv(self, timeout=5, what="a PDU"):
        """Next PDU that is not a target NOP-In ping (those are answered
        while self.answer_pings, else returned)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut()
            try:
                pdu = self.recv_raw(left)
            except TimedOut:
                raise TimedOut(f"{self.name}: no {what} within {timeout} s")
            except Closed as e:
                raise Closed(f"{self.name}: target closed the connection ({e}) while waiting for {what}")
            if self.is_ping(pdu) and self.answer_pings:
                try:
                    self.answer_ping(pdu)
                except OSError:
                    pass
                continue
            return pdu

    def expect(self, opcode, what, timeout=5):
        try:
            pdu = self.recv(timeout, what)
        except (TimedOut, Closed) as e:
            raise Failure(str(e))
        if pdu.opcode != opcode:
            raise Failure(f"{self.name}: expected {what} (opcode {opcode:#04x}), got opcode "
                          f"{pdu.opcode:#04x}: {pdu.hex()}")
        return pdu

    def expect_close(self, timeout=5):
        """Waits for EOF/reset. Pings are answered meanwhile (so that a NOP-In
        timeout cannot be what closes the connection); any other PDU fails."""
        t0 = time.monotonic()
        deadline = t0 + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"{self.name}: connection still open {timeout} s later")
            try:
                pdu = self.recv_raw(left)
            except Closed:
                return time.monotonic() - t0
            except TimedOut:
                continue
            if self.is_ping(pdu):
                try:
                    self.answer_ping(pdu)
                except OSError:
                    pass
                continue
            raise Failure(f"{self.name}: expected the connection to be closed, got: {pdu.hex()}")

    # -- login / logout ----------------------------------------------------

    def login(self, initiator, isid, target=None, digests=False, extra=(), session="Normal",
              tsih=0, initial_r2t="Yes", mrdsl=65536):
        """Login straight into the operational stage (CSG=1, NSG=3, T=1),
        RFC 7143 6.3; mrdsl is our MaxRecvDataSegmentLength. Returns the
        merged response keys."""
        keys = [("InitiatorName", initiator), ("SessionType", session)]
        if target:
            keys.append(("TargetName", target))
        dig = "CRC32C" if digests else "None"
        keys += [("HeaderDigest", dig), ("DataDigest", dig)]
        if session == "Normal":
            keys += [("ErrorRecoveryLevel", "0"), ("InitialR2T", initial_r2t),
                     ("ImmediateData", "Yes"), ("MaxBurstLength", "262144"),
                     ("FirstBurstLength", "65536"), ("MaxConnections", "1"),
                     ("DefaultTime2Wait", "0"), ("DefaultTime2Retain", "0"),
                     ("MaxOutstandingR2T", "1"), ("DataPDUInOrder", "Yes"),
                     ("DataSequenceInOrder", "Yes")]
        keys += [("MaxRecvDataSegmentLength", str(mrdsl))] + list(extra)
        data = encode_keys(keys)
        itt = self.itt()
        got = {}
        for rnd in range(4):
            b = bytearray(48)
            b[0] = IMMEDIATE | OP_LOGIN_REQ
            b[1] = 0x80 | (1 << 2) | 3       # T=1 C=0 CSG=1 NSG=3
            b[5:8] = len(data).to_bytes(3, "big")
            b[8:14] = isid
            struct.pack_into(">H", b, 14, tsih)
            struct.pack_into(">IHxxII", b, 16, itt, 0, self.cmd_sn, self.exp_stat_sn)
            self.send_pdu(bytes(b), data)
            rsp = self.expect(OP_LOGIN_RSP, "Login Response")
            cls, det = rsp.bhs[36], rsp.bhs[37]
            if cls != 0:
                raise Failure(f"{self.name}: login rejected, status class {cls:#x} detail "
                              f"{det:#x}: {rsp.hex()} keys {rsp.data!r}")
            k, _ = decode_keys(rsp.data)
            got.update(k)
            if rsp.flags & 0x80 and (rsp.flags & 0x03) == 3:
                break
            data = b""                      # target continues or wants another round
        else:
            raise Failure(f"{self.name}: login did not reach full feature phase: {rsp.hex()}")
        self.tsih = struct.unpack_from(">H", rsp.bhs, 14)[0]
        self.login_keys = got
        if "MaxRecvDataSegmentLength" in got:
            self.target_mrdsl = int(got["MaxRecvDataSegmentLength"])
        self.hd = got.get("HeaderDigest") == "CRC32C"
        self.dd = got.get("DataDigest") == "CRC32C"
        if self.exp_cmd_sn > self.cmd_sn:
            self.cmd_sn = self.exp_cmd_sn
        return got

    def logout(self):
        b = self.bhs(IMMEDIATE | OP_LOGOUT_REQ, 0x80, 0, self.itt())
        struct.pack_into(">HxxII", b, 20, 0, self.cmd_sn, self.exp_stat_sn)
        self.send_pdu(bytes(b))
        rsp = self.expect(OP_LOGOUT_RSP, "Logout Response")
        if rsp.bhs[2] != 0:
            raise Failure(f"{self.name}: Logout Response response {rsp.bhs[2]}: {rsp.hex()}")
        return rsp

    # -- full feature phase helpers ---------------------------------------

    def nop_out(self, itt, data=b"", bad_hd=False, bad_dd=False, lun=0):
        b = self.bhs(IMMEDIATE | OP_NOP_OUT, 0x80, lun, itt, len(data))
        struct.pack_into(">III", b, 20, RSVD_TAG, self.cmd_sn, self.exp_stat_sn)
        self.send_pdu(bytes(b), data, bad_hd, bad_dd)
        return bytes(b)

    def ping(self, data=b"", itt=None):
        """NOP-Out that must get its NOP-In echo."""
        itt = itt if itt is not None else self.itt()
        self.nop_out(itt, data)
        rsp = self.expect(OP_NOP_IN, "NOP-In")
        if rsp.itt != itt or rsp.ttt != RSVD_TAG or rsp.data != data:
            raise Failure(f"{self.name}: NOP-In does not answer NOP-Out ITT {itt:#x} "
                          f"(data {len(data)} bytes): {rsp.hex()}")
        return rsp

    def scsi_cmd(self, cdb, edtl=0, read=False, write=False, lun=None, imm=b"", final=True,
                 cmd_sn=None, itt=None):
        itt = itt if itt is not None else self.itt()
        lun = self.lun if lun is None else lun
        flags = (0x80 if final else 0) | (0x40 if read else 0) | (0x20 if write else 0) | 1
        b = self.bhs(OP_SCSI_CMD, flags, lun, itt, len(imm))
        sn = self.cmd_sn if cmd_sn is None else cmd_sn
        struct.pack_into(">III", b, 20, edtl, sn, self.exp_stat_sn)
        b[32:32 + len(cdb)] = cdb
        self.send_pdu(bytes(b), imm)
        if cmd_sn is None:
            self.cmd_sn = (self.cmd_sn + 1) & 0xFFFFFFFF
        return itt

    def scsi_response(self, itt, what="SCSI Response", timeout=5):
        rsp = self.expect(OP_SCSI_RSP, what, timeout)
        if rsp.itt != itt:
            raise Failure(f"{self.name}: SCSI Response for ITT {rsp.itt:#x}, expected {itt:#x}: {rsp.hex()}")
        if rsp.bhs[2] != 0:
            raise Failure(f"{self.name}: SCSI Response iSCSI response {rsp.bhs[2]:#x}: {rsp.hex()}")
        return rsp

    def tur(self, lun=None):
        """TEST UNIT READY; returns (status, sense key, asc, ascq)."""
        itt = self.scsi_cmd(bytes(6), lun=lun)
        rsp = self.scsi_response(itt, "TEST UNIT READY response")
        return (rsp.bhs[3],) + parse_sense(rsp.data)

    def tur_until_good(self, lun=None):
        """Clears start-up unit attentions (SAM-5 5.14): at most 3 tries."""
        seen = []
        for _ in range(3):
            r = self.tur(lun)
            seen.append(r)
            if r[0] == 0:
                return seen
            if r[0] != 2 or r[1] != 6:
                break
        raise Failure(f"{self.name}: TEST UNIT READY never GOOD: {seen}")

    def inquiry(self, timeout=5):
        """Standard INQUIRY (96 bytes) until its status; any PDU of another
        task in between is skipped."""
        itt = self.scsi_cmd(bytes([0x12, 0, 0, 0, 96, 0]), 96, read=True)
        while True:
            pdu = self.recv(timeout, "INQUIRY data")
            if pdu.itt == itt and (pdu.opcode == OP_SCSI_RSP or pdu.flags & 0x01):
                return pdu

    def read10(self, lba, blocks, block_size):
        cdb = struct.pack(">BBIBHB", 0x28, 0, lba, 0, blocks, 0)
        data, status, data_sn = self.read_cdb(cdb, blocks * block_size, "READ(10)")
        return data.ljust(blocks * block_size, b"\0"), status, data_sn

    def read_cdb(self, cdb, edtl, what="READ"):
        """Any Data-In command: returns (bytes received, (how, status, final PDU), DataSN count)."""
        itt = self.scsi_cmd(cdb, edtl, read=True)
        buf = bytearray(edtl)
        expect_off, data_sn, status = 0, 0, None
        while True:
            pdu = self.recv(5, "Data-In")
            if pdu.opcode == OP_SCSI_RSP and pdu.itt == itt:
                status = ("response", pdu.bhs[3], pdu)
                break
            if pdu.opcode != OP_DATA_IN or pdu.itt != itt:
                raise Failure(f"{self.name}: {what}: unexpected PDU {pdu.hex()}")
            off, sn = be32(pdu.bhs, 40), be32(pdu.bhs, 36)
            if off != expect_off or sn != data_sn:
                raise Failure(f"{self.name}: Data-In offset {off} DataSN {sn}, expected "
                              f"{expect_off}/{data_sn}: {pdu.hex()}")
            if off + len(pdu.data) > edtl:
                raise Failure(f"{self.name}: Data-In beyond EDTL: {pdu.hex()}")
            buf[off:off + len(pdu.data)] = pdu.data
            expect_off += len(pdu.data)
            data_sn += 1
            if pdu.flags & 0x01:
                status = ("S bit", pdu.bhs[3], pdu)
                break
        if expect_off != edtl and status[1] == 0 and not status[2].flags & 0x02:  # GOOD without underflow
            raise Failure(f"{self.name}: {what} got {expect_off} of {edtl} bytes")
        return bytes(buf[:expect_off]), status, data_sn

    def write10(self, lba, data, block_size, immediate):
        """WRITE(10) with `immediate` bytes in the command; the rest is sent
        on R2T (InitialR2T=Yes). Returns (SCSI Response, R2T count)."""
        blocks = len(data) // block_size
        cdb = struct.pack(">BBIBHB", 0x2A, 0, lba, 0, blocks, 0)
        return self.write_cdb(cdb, data, immediate, "WRITE(10)")

    def write_cdb(self, cdb, data, immediate, what="WRITE"):
        """Any Data-Out command with `immediate` bytes in the command and the
        rest on R2T. Returns (SCSI Response, R2T count)."""
        itt = self.scsi_cmd(cdb, len(data), write=True, imm=data[:immediate])
        sent = immediate
        r2ts = 0
        while True:
            pdu = self.recv(5, "R2T or SCSI Response")
            if pdu.opcode == OP_SCSI_RSP and pdu.itt == itt:
                # Only GOOD needs all the data; BUSY, TASK SET FULL or CHECK
                # CONDITION may end the command before it asked for any.
                if sent != len(data) and pdu.bhs[3] == 0:
                    raise Failure(f"{self.name}: WRITE answered after {sent} of {len(data)} bytes: {pdu.hex()}")
                return pdu, r2ts
            if pdu.opcode != OP_R2T or pdu.itt != itt:
                raise Failure(f"{self.name}: {what}: unexpected PDU {pdu.hex()}")
            r2ts += 1
            off, want = be32(pdu.bhs, 40), be32(pdu.bhs, 44)
            if off != sent or want == 0 or off + want > len(data):
                raise Failure(f"{self.name}: R2T asks offset {off} length {want} "
                              f"(sent so far {sent} of {len(data)}): {pdu.hex()}")
            chunk = min(self.target_mrdsl, 8192)
            data_sn = 0
            pos = off
            while pos < off + want:
                n = min(chunk, off + want - pos)
                b = self.bhs(OP_DATA_OUT, 0x80 if pos + n == off + want else 0, 0, itt, n)
                b[8:16] = pdu.bhs[8:16]
                struct.pack_into(">IxxxxIxxxxII", b, 20, pdu.ttt, self.exp_stat_sn, data_sn, pos)
                self.send_pdu(bytes(b), data[pos:pos + n])
                data_sn += 1
                pos += n
            sent = off + want


def read_command(c, cdb, edtl, lun=None, timeout=10):
    """A command with Data-In on connection c; returns (status, sense
    triple, data), the data assembled at each Data-In's buffer offset."""
    itt = c.scsi_cmd(cdb, edtl, read=True, lun=lun)
    buf = bytearray()
    while True:
        pdu = c.recv(timeout, "Data-In or SCSI Response")
        if pdu.itt != itt:
            raise Failure(f"unexpected PDU {pdu.hex()}")
        if pdu.opcode == OP_SCSI_RSP:
            return pdu.bhs[3], parse_sense(pdu.data), bytes(buf)
        if pdu.opcode != OP_DATA_IN:
            raise Failure(f"unexpected PDU {pdu.hex()}")
        off = be32(pdu.bhs, 40)
        buf[off:off + len(pdu.data)] = pdu.data
        if pdu.flags & 0x01:
            return pdu.bhs[3], (None, None, None), bytes(buf)


def parse_sense(data):
    """(sense key, ASC, ASCQ) from a SCSI Response data segment (RFC 7143
    11.4.7.2: 2-byte SenseLength then sense data, SPC-4 4.5)."""
    if len(data) < 2:
        return (None, None, None)
    n = struct.unpack_from(">H", data)[0]
    s = data[2:2 + n]
    if len(s) >= 4 and s[0] & 0x7F in (0x72, 0x73):
        return (s[1] & 0x0F, s[2], s[3])
    if len(s) >= 14 and s[0] & 0x7F in (0x70, 0x71):
        return (s[2] & 0x0F, s[12], s[13])
    return (None, None, None)


def run_script(main):
    """Exits with a scenario script's main() result; a Failure, a closed
    connection or a timeout prints FAIL and exits 1."""
    try:
        sys.exit(main())
    except (Failure, Closed, TimedOut) as e:
        print(f"FAIL: {e}", flush=True)
        sys.exit(1)


# ---------------------------------------------------------------------------
# Raw CDBs of the tape drive (SSC-3) and media changer (SMC-3) LUs, on
# connection c at its current LUN (c.lun). Each returns the SCSI status and
# the (key, ASC, ASCQ) sense triple, plus what the command reads.


def no_data(c, cdb, what):
    """A command without data: (status, sense)."""
    itt = c.scsi_cmd(bytes(cdb))
    rsp = c.scsi_response(itt, what)
    return rsp.bhs[3], parse_sense(rsp.data)


def write6(c, data):
    """WRITE(6), one variable block: (status, sense)."""
    n = len(data)
    cdb = struct.pack(">BBBBBB", 0x0A, 0, n >> 16 & 0xFF, n >> 8 & 0xFF, n & 0xFF, 0)
    rsp, _ = c.write_cdb(cdb, data, 0, "WRITE(6)")
    return rsp.bhs[3], parse_sense(rsp.data)


def read6(c, n):
    """READ(6) variable, SILI: (data, status, sense, sense flags byte)."""
    cdb = struct.pack(">BBBBBB", 0x08, 0x02, n >> 16 & 0xFF, n >> 8 & 0xFF, n & 0xFF, 0)
    data, status, _ = c.read_cdb(cdb, n, "READ(6)")
    pdu = status[2]
    flags = pdu.data[4] if pdu.opcode == OP_SCSI_RSP and len(pdu.data) > 4 else 0
    return data, status[1], parse_sense(pdu.data if pdu.opcode == OP_SCSI_RSP else b""), flags


def read_position(c):
    """READ POSITION, long form: (logical object, file number)."""
    data, status, _ = c.read_cdb(bytes([0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0]), 32, "READ POSITION")
    if status[1] != 0 or len(data) != 32:
        raise Failure(f"READ POSITION failed: status {status[1]}")
    return struct.unpack_from(">QQ", data, 8)


def move_medium(c, src, dst):
    """MOVE MEDIUM (SMC-3 6.9) with the default transport: (status, sense)."""
    return no_data(c, struct.pack(">BBHHHBBBB", 0xA5, 0, 0, src, dst, 0, 0, 0, 0), "MOVE MEDIUM")


def exchange_medium(c, src, dst1, dst2):
    """EXCHANGE MEDIUM (SMC-3 6.2): (status, sense)."""
    return no_data(c, struct.pack(">BBHHHHBB", 0xA6, 0, 0, src, dst1, dst2, 0, 0), "EXCHANGE MEDIUM")


def element_status(c):
    """READ ELEMENT STATUS, every type, VOLTAG: {address: barcode or None}."""
    cdb = struct.pack(">BBHHBBHBB", 0xB8, 0x10, 0, 0xFFFF, 0, 0, 0x4000, 0, 0)
    data, status, _ = c.read_cdb(cdb, 0x4000, "READ ELEMENT STATUS")
    if status[1] != 0 or len(data) < 8:
        raise Failure(f"READ ELEMENT STATUS failed: status {status[1]}")
    out, at = {}, 8
    while at + 8 <= len(data):
        dlen = struct.unpack_from(">H", data, at + 2)[0]
        count = int.from_bytes(data[at + 5:at + 8], "big")
        at += 8
        for d in range(at, at + count, dlen):
            addr = struct.unpack_from(">H", data, d)[0]
            out[addr] = data[d + 12:d + 44].decode().strip() if data[d + 2] & 1 else None
        at += count
    return out


# ---------------------------------------------------------------------------
# Scenario plumbing.


class Ctx:
    def __init__(self, args):
        self.host = args.host
        self.port = args.port
        self.target = args.target
        self.lun = args.lun
        self.block = args.block
        self.failures = 0
        self.conns = []
        self.salt = os.urandom(3)

    def conn(self, name):
        c = Conn(self.host, self.port, name, self.lun)
        self.conns.append(c)
        return c

    def isid(self, n):
        # RFC 7143 11.12.5: type 10b (random), distinct per scenario/session.
        return bytes([0x80]) + self.salt + bytes([0, n])

    def iname(self, tag):
        return f"iqn.2026-11.org.stmfd:raw-{tag}"

    def login(self, name, isid_n, digests=False, **kw):
        c = self.conn(name)
        c.login(self.iname(kw.pop("tag", name)), self.isid(isid_n), self.target, digests, **kw)
        return c

    def ok(self, msg):
        print(f"PASS: {msg}", flush=True)

    def check(self, cond, msg, detail=""):
        if cond:
            self.ok(msg)
        else:
            self.failures += 1
            print(f"FAIL: {msg}{': ' + detail if detail else ''}", flush=True)
        return cond


def sc_garbage(ctx):
    c = ctx.conn("garbage")
    junk = bytearray(os.urandom(4096))
    # Not a Login Request: the very first BHS must make the target give up
    # (RFC 7143 6.1: only Login is legal before full feature phase).
    while junk[0] & 0x3F == OP_LOGIN_REQ:
        junk[0] = os.urandom(1)[0]
    print(f"sent BHS: {hexdump(bytes(junk[:48]), 48)}")
    try:
        c.sock.sendall(bytes(junk))
    except OSError as e:            # the target may already have reset us
        print(f"(sending stopped: {e})")
    c.answer_pings = False
    t = c.expect_close(5)
    ctx.ok(f"target closed the garbage connection after {t:.2f} s")
    c.close()
    c2 = ctx.login("after-garbage", 1)
    c2.logout()
    t = c2.expect_close(5)
    ctx.ok(f"normal login + logout on a new connection (closed {t:.2f} s after logout)")


def sc_digests(ctx):
    c = ctx.conn("digests")
    keys = c.login(ctx.iname("digests"), ctx.isid(2), ctx.target, digests=True)
    ctx.check(keys.get("HeaderDigest") == "CRC32C" and keys.get("DataDigest") == "CRC32C",
              "target accepted HeaderDigest=CRC32C and DataDigest=CRC32C",
              f"answered HeaderDigest={keys.get('HeaderDigest')} DataDigest={keys.get('DataDigest')}")
    if not (c.hd and c.dd):
        raise Failure("digests not negotiated; cannot continue")
    payload = bytes((i * 7 + 3) & 0xFF for i in range(100))
    rsp = c.ping(payload, itt=0x1234)
    ctx.ok(f"NOP-Out ITT 0x1234 with 100 bytes echoed by NOP-In (StatSN {rsp.stat_sn}), digests valid")
    c.tur_until_good()
    data, status, n = c.read10(0, 8, ctx.block)
    ctx.check(status[1] == 0, f"READ(10) 8 blocks: {n} Data-In PDU(s), status via {status[0]} GOOD",
              f"status {status[1]:#x}: {status[2].hex()}")
    ctx.check(status[0] == "S bit", "READ(10) status carried in the last Data-In (S bit)",
              "target sent a separate SCSI Response (RFC-legal, but phase collapse expected)")
    pattern = os.urandom(16 * ctx.block)
    rsp, r2ts = c.write10(64, pattern, ctx.block, 512)
    ctx.check(rsp.bhs[3] == 0, f"WRITE(10) 16 blocks, 512 immediate + {r2ts} R2T(s): GOOD",
              rsp.hex())
    back, status, _ = c.read10(64, 16, ctx.block)
    ctx.check(status[1] == 0 and back == pattern, "read back equals the written data",
              f"status {status[1]:#x}, equal={back == pattern}")
    c.logout()


def sc_bad_header_digest(ctx):
    c = ctx.login("bad-hdgst", 3, digests=True)
    if not c.hd:
        raise Failure("header digest not negotiated")
    c.ping()
    sent = c.nop_out(0x4321, bad_hd=True)
    print(f"sent NOP-Out with a wrong header digest: {hexdump(sent, 48)}")
    t = c.expect_close(5)
    ctx.ok(f"target closed the connection {t:.2f} s after a bad header digest")


def sc_bad_data_digest(ctx):
    c = ctx.login("bad-ddgst", 4, digests=True)
    if not c.dd:
        raise Failure("data digest not negotiated")
    c.ping()
    sent = c.nop_out(0x5555, data=b"x" * 100, bad_dd=True)
    rej = c.expect(OP_REJECT, "Reject after a bad data digest")
    ctx.check(rej.bhs[2] == 0x02, "Reject reason 0x02 (data digest error)", rej.hex())
    ctx.check(rej.data == sent, "Reject data segment is the rejected 48-byte header",
              f"got {hexdump(rej.data, 64)} want {hexdump(sent, 48)}")
    ctx.check(rej.itt == RSVD_TAG, "Reject ITT is 0xffffffff (RFC 7143 11.17)", rej.hex())
    c.ping(b"ok" * 10)
    ctx.ok("connection usable after the Reject (NOP-Out answered)")
    c.logout()


def _reject_then_usable(ctx, c, bhs, what, reasons):
    c.send_pdu(bhs)
    rej = c.expect(OP_REJECT, f"Reject for {what}")
    ctx.check(rej.bhs[2] in reasons,
              f"{what} rejected with reason {rej.bhs[2]:#04x}", rej.hex())
    ctx.check(rej.data[:48] == bhs, f"Reject for {what} carries the rejected header",
              f"got {hexdump(rej.data, 64)}")
    if c.exp_cmd_sn > c.cmd_sn:
        c.cmd_sn = c.exp_cmd_sn
    c.ping()
    ctx.ok(f"connection usable after rejecting {what}")


def sc_unknown_opcode(ctx):
    c = ctx.login("unknown-op", 5)
    b = c.bhs(IMMEDIATE | 0x1C, 0x80, 0, 0x3333)
    struct.pack_into(">III", b, 20, RSVD_TAG, c.cmd_sn, c.exp_stat_sn)
    _reject_then_usable(ctx, c, bytes(b), "opcode 0x1c", (0x04, 0x05))
    # SNACK (RFC 7143 11.16) type 0 for a task that never existed: not
    # supported at ErrorRecoveryLevel 0.
    b = c.bhs(OP_SNACK, 0x80, 0, 0x4444)
    struct.pack_into(">IxxxxI", b, 20, RSVD_TAG, c.exp_stat_sn)
    _reject_then_usable(ctx, c, bytes(b), "SNACK", (0x04, 0x05))
    c.logout()


def sc_reinstatement(ctx):
    a = ctx.login("first", 6, tag="reinstate")
    a.ping()
    b = ctx.login("second", 6, tag="reinstate")
    ctx.ok(f"second login with the same InitiatorName/ISID accepted (TSIH {b.tsih:#x}, first had {a.tsih:#x})")
    t = a.expect_close(5)
    ctx.ok(f"first connection closed by the target {t:.2f} s after the reinstatement")
    b.ping()
    ctx.ok("reinstated session answers NOP-Out")
    b.logout()


def sc_nop_ping(ctx):
    c = ctx.login("nop-ping", 7)
    c.answer_pings = False
    t0 = time.monotonic()
    try:
        pdu = c.recv(3.5, "NOP-In ping")
    except (TimedOut, Closed) as e:
        raise Failure(str(e))
    if not c.is_ping(pdu):
        raise Failure(f"expected a NOP-In ping (ITT 0xffffffff, TTT != 0xffffffff): {pdu.hex()}")
    ctx.ok(f"NOP-In ping after {time.monotonic() - t0:.2f} s idle (TTT {pdu.ttt:#x}, "
           f"LUN {pdu.bhs[8:16].hex()}, StatSN {pdu.stat_sn})")
    c.answer_ping(pdu)
    c.answer_pings = True
    end = time.monotonic() + 4
    while time.monotonic() < end:
        try:
            extra = c.recv(max(0.05, end - time.monotonic()), "anything")
            raise Failure(f"unexpected PDU while idle: {extra.hex()}")
        except TimedOut:
            pass
        except Closed as e:
            raise Failure(f"connection dropped although pings were answered: {e}")
    c.ping()
    ctx.ok(f"connection up 4 s later while answering pings ({c.pings_answered} answered)")
    c.answer_pings = False
    t0 = time.monotonic()
    deadline = t0 + 6.5
    pings = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Failure(f"connection still open 6.5 s after pings stopped being answered "
                          f"({pings} ping(s) seen)")
        try:
            pdu = c.recv_raw(left)
        except TimedOut:
            continue
        except Closed:
            break
        if c.is_ping(pdu):
            pings += 1
            continue
        raise Failure(f"unexpected PDU while ignoring pings: {pdu.hex()}")
    ctx.ok(f"target closed the connection {time.monotonic() - t0:.2f} s after pings went "
           f"unanswered ({pings} unanswered ping(s))")


def sc_oversized_segment(ctx):
    c = ctx.login("oversized", 8)
    declared = c.login_keys.get("MaxRecvDataSegmentLength")
    ctx.check(declared is not None, f"target declared MaxRecvDataSegmentLength={declared}")
    size = c.target_mrdsl + 512
    b = c.bhs(IMMEDIATE | OP_NOP_OUT, 0x80, 0, 0x6666, size)
    struct.pack_into(">III", b, 20, RSVD_TAG, c.cmd_sn, c.exp_stat_sn)
    c.sock.sendall(bytes(b))
    # Send the claimed data too, so a lenient target answers instead of
    # waiting; a strict one resets us mid-way.
    try:
        c.sock.settimeout(3)
        c.sock.sendall(bytes(pad4(size)))
    except OSError as e:
        print(f"(sending the oversized data stopped: {e})")
    t = c.expect_close(5)
    ctx.ok(f"target closed the connection {t:.2f} s after a {size}-byte data segment "
           f"(limit {c.target_mrdsl})")


def sc_cmdsn_window(ctx):
    c = ctx.login("cmdsn", 9)
    bad = (c.max_cmd_sn + 5) & 0xFFFFFFFF
    print(f"after login: CmdSN {c.cmd_sn} ExpCmdSN {c.exp_cmd_sn} MaxCmdSN {c.max_cmd_sn}; "
          f"sending TUR with CmdSN {bad}")
    c.scsi_cmd(bytes(6), cmd_sn=bad, itt=0x7777)
    try:
        pdu = c.recv(2, "anything")
        ctx.check(False, "out-of-window command ignored", f"target answered: {pdu.hex()}")
    except TimedOut:
        ctx.ok("no answer within 2 s to a TUR with CmdSN = MaxCmdSN + 5")
    except Closed as e:
        raise Failure(f"target dropped the connection for an out-of-window CmdSN: {e}")
    c.cmd_sn = c.exp_cmd_sn
    first = c.tur()
    ok_first = first[0] == 0 or (first[0] == 2 and first[1] == 6)
    ctx.check(ok_first, f"TUR with CmdSN = ExpCmdSN: status {first[0]:#x}", f"{first}")
    if first[0] != 0:
        second = c.tur()
        ctx.check(second[0] == 0, "next TUR GOOD", f"{second}")
    c.logout()


def sc_text_sendtargets(ctx):
    c = ctx.conn("discovery")
    c.login(ctx.iname("discovery"), ctx.isid(10), None, session="Discovery")
    ttt = RSVD_TAG
    data = encode_keys([("SendTargets", "All")])
    itt = c.itt()
    answer = b""
    for _ in range(16):
        b = c.bhs(IMMEDIATE | OP_TEXT_REQ, 0x80, 0, itt, len(data))
        struct.pack_into(">III", b, 20, ttt, c.cmd_sn, c.exp_stat_sn)
        c.send_pdu(bytes(b), data)
        rsp = c.expect(OP_TEXT_RSP, "Text Response")
        answer += rsp.data
        if not rsp.flags & 0x40:        # C bit clear: complete
            break
        ttt, data = rsp.ttt, b""
    _, pairs = decode_keys(answer)
    print(f"SendTargets answer: {pairs}")
    ctx.check(("TargetName", ctx.target) in pairs, f"SendTargets lists TargetName={ctx.target}",
              repr(answer))
    addrs = [v for k, v in pairs if k == "TargetAddress"]
    want = f"{ctx.host}:{ctx.port}"
    ctx.check(any(a.split(",")[0] == want for a in addrs),
              f"TargetAddress with portal {want}", f"addresses {addrs}")
    c.logout()
    ctx.ok("Logout Response 0")
    t = c.expect_close(5)
    ctx.ok(f"target closed the discovery connection {t:.2f} s after logout")


# RFC 7143 11.5.1 function codes.
TMF_ABORT_TASK, TMF_LUN_RESET, TMF_TARGET_COLD_RESET = 1, 5, 7


def tmf(c, function, lun=0, ref_itt=RSVD_TAG, ref_cmd_sn=0):
    itt = c.itt()
    b = c.bhs(IMMEDIATE | OP_TMF_REQ, 0x80 | function, lun, itt)
    struct.pack_into(">IIII", b, 20, ref_itt, c.cmd_sn, c.exp_stat_sn, ref_cmd_sn)
    c.send_pdu(bytes(b))
    rsp = c.expect(OP_TMF_RSP, "Task Management Function Response")
    if rsp.itt != itt:
        raise Failure(f"{c.name}: TMF response ITT {rsp.itt:#x}, expected {itt:#x}: {rsp.hex()}")
    return rsp


def sc_tmf(ctx):
    a = ctx.login("tmf-a", 11)
    b = ctx.login("tmf-b", 12)
    a.tur_until_good()
    b.tur_until_good()
    ref = (a.exp_cmd_sn - 1) & 0xFFFFFFFF
    rsp = tmf(a, TMF_ABORT_TASK, ctx.lun, ref_itt=0xDEAD0001, ref_cmd_sn=ref)
    ctx.check(rsp.bhs[2] == 1, f"ABORT TASK for an unknown ITT (RefCmdSN {ref} < ExpCmdSN "
              f"{a.exp_cmd_sn}): response 1 (task does not exist)", rsp.hex())
    rsp = tmf(a, TMF_LUN_RESET, ctx.lun)
    ctx.check(rsp.bhs[2] == 0, f"LOGICAL UNIT RESET on LUN {ctx.lun}: response 0", rsp.hex())
    rsp = tmf(a, TMF_LUN_RESET, 5)
    ctx.check(rsp.bhs[2] == 2, "LOGICAL UNIT RESET on unmapped LUN 5: response 2 (LUN does not exist)",
              rsp.hex())
    # SAM-5 6.3.3: the reset reaches every I_T nexus, the requester's too
    # (libiscsi MultipathIO.Reset checks both paths).
    for who, c in (("other", b), ("resetting", a)):
        r = c.tur()
        ctx.check(r == (2, 6, 0x29, 0x03),
                  f"{who} session's TUR: CHECK CONDITION, UNIT ATTENTION 29/03",
                  f"status {r[0]:#x} sense {r[1:]}")
        r = c.tur()
        ctx.check(r[0] == 0, f"{who} session's next TUR: GOOD", f"status {r[0]:#x} sense {r[1:]}")
    a.logout()
    b.logout()


def sc_tmf_cold_reset(ctx):
    """RFC 7143 11.5.1: TARGET COLD RESET is answered, then the target
    closes all of its connections to all initiators (every session of the
    target ends); a new login afterwards works."""
    a = ctx.login("cold-a", 13)
    b = ctx.login("cold-b", 14)
    a.tur_until_good()
    b.tur_until_good()
    rsp = tmf(a, TMF_TARGET_COLD_RESET)
    ctx.check(rsp.bhs[2] == 0, "TARGET COLD RESET: response 0 (function complete)", rsp.hex())
    t = a.expect_close(5)
    ctx.ok(f"requester's connection closed {t:.2f} s after the response")
    t = b.expect_close(5)
    ctx.ok(f"other session's connection closed {t:.2f} s after the reset")
    c = ctx.login("cold-a", 13)
    seen = c.tur_until_good()
    ctx.ok(f"a new session after the reset: TEST UNIT READY good after {seen}")
    c.logout()



# --- fault injection (test_faults.sh arms the point with stmfadm inject-fault) ---

def sc_fault_session(ctx):
    """session_pdu armed: the first session to send a SCSI command
    fails; another, live session keeps working (architecture.md)."""
    a = ctx.login("survivor", 21)
    b = ctx.login("victim", 22)
    b.scsi_cmd(bytes(6))
    t = b.expect_close(5)
    ctx.ok(f"failed session's connection dropped {t:.2f} s after its command")
    seen = a.tur_until_good()
    ctx.ok(f"surviving session's TEST UNIT READY: {seen}")
    a.ping()
    a.logout()


def sc_fault_task(ctx):
    """task_start armed: the command whose task actor fails gets
    CHECK CONDITION, HARDWARE ERROR / INTERNAL TARGET FAILURE; nothing else."""
    a = ctx.login("task-crash", 23)
    r = a.tur()
    ctx.check(r == (2, 4, 0x44, 0x00), "failed task answered CHECK CONDITION 04/44/00", f"got {r}")
    r = a.tur()
    ctx.check(r[0] == 0, "next command on the same session: GOOD (no unit attention)", f"got {r}")
    a.logout()


def sc_fault_lu(ctx):
    """lu_io_done armed (file LU): the LU fails with a read in
    flight; that read ends in CHECK CONDITION, the LU is restarted, and the
    next command sees POWER ON, RESET (06/29/00) once."""
    a = ctx.login("lu-crash", 24)
    a.tur_until_good()
    cdb = bytes([0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0])
    itt = a.scsi_cmd(cdb, edtl=8 * ctx.block, read=True)
    rsp = a.scsi_response(itt, "READ(10) response")
    r = (rsp.bhs[3],) + parse_sense(rsp.data)
    ctx.check(r == (2, 4, 0x44, 0x00), "in-flight READ ended in CHECK CONDITION 04/44/00", f"got {r}")
    r = (2,)
    for _ in range(20):  # the restart is asynchronous: until the LU is back
        r = a.tur()
        if r != (2, 4, 0x44, 0x00):
            break
        time.sleep(0.1)
    ctx.check(r == (2, 6, 0x29, 0x00), "next command after the restart: UNIT ATTENTION 29/00", f"got {r}")
    r = a.tur()
    ctx.check(r[0] == 0, "then GOOD", f"got {r}")
    data, status, n = a.read10(0, 8, ctx.block)
    ctx.check(status[1] == 0 and len(data) == 8 * ctx.block, "the restarted LU serves reads",
              f"status {status[:2]}")
    a.logout()

def sc_tmf_inflight(ctx):
    """lu_io_stall armed: a WRITE is held at the LU (a slow
    backing store) when ABORT TASK arrives. The TMF response comes only once
    the write stopped (after the stall), the write gets no response (TAS=0),
    and its data never reaches the medium."""
    a = ctx.login("tmf-inflight", 31)
    a.tur_until_good()
    lba, blocks = 64, 8
    data = bytes([0xA5]) * (blocks * ctx.block)
    cdb = struct.pack(">BBIBHB", 0x2A, 0, lba, 0, blocks, 0)
    itt = a.scsi_cmd(cdb, len(data), write=True, imm=data)
    time.sleep(0.1)  # the write reaches the LU and is held there
    t0 = time.monotonic()
    rsp = tmf(a, TMF_ABORT_TASK, ctx.lun, ref_itt=itt, ref_cmd_sn=(a.cmd_sn - 1) & 0xFFFFFFFF)
    waited = time.monotonic() - t0
    ctx.check(rsp.bhs[2] == 0, "ABORT TASK of the in-flight WRITE: function complete", rsp.hex())
    ctx.check(waited > 0.2, f"the response waited for the write to stop ({waited:.2f} s)")
    try:
        pdu = a.recv(1, "nothing for the aborted WRITE")
        ctx.check(False, "the aborted WRITE got no response", pdu.hex())
    except TimedOut:
        ctx.ok("the aborted WRITE got no response (TAS=0)")
    got, status, _ = a.read10(lba, blocks, ctx.block)
    ctx.check(status[1] == 0 and got != data, "its data never reached the medium",
              f"status {status[1]:#x}, first bytes {got[:8].hex()}")
    r = a.tur()
    ctx.check(r[0] == 0, "the session goes on: TUR GOOD", f"got {r}")
    a.logout()


def sc_logout_releases(ctx):
    """RFC 7143 11.15 + SPC-2 5.5.1 / SAM-5 6.3.4: once the Logout Response
    has come, the I_T nexus is gone at every LU, so a RESERVE(6) it held is
    already released: another initiator's RESERVE(6) sent the moment the
    response arrives is GOOD, every round (it raced the detach before)."""
    reserve6, release6 = bytes([0x16, 0, 0, 0, 0, 0]), bytes([0x17, 0, 0, 0, 0, 0])
    b = ctx.login("logout-b", 21, tag="logout-b")
    b.tur_until_good()
    rounds, conflicts = 20, []
    for i in range(rounds):
        a = ctx.login(f"logout-a{i}", 22, tag="logout-a")
        a.tur_until_good()
        st, sense = no_data(a, reserve6, "RESERVE(6) by A")
        if st != 0:
            raise Failure(f"round {i}: A's RESERVE(6): status {st:#x} sense {sense}")
        if i == 0:
            st, _ = no_data(b, reserve6, "RESERVE(6) by B while A holds it")
            ctx.check(st == 0x18, "B's RESERVE(6) while A holds one: RESERVATION CONFLICT", f"status {st:#x}")
        a.logout()
        st, sense = no_data(b, reserve6, "RESERVE(6) by B right after A's Logout Response")
        if st != 0:
            conflicts.append((i, st, sense))
        else:
            no_data(b, release6, "RELEASE(6) by B")
        a.close()
    ctx.check(not conflicts, f"B's RESERVE(6) right after A's Logout Response: GOOD in {rounds - len(conflicts)}"
              f" of {rounds} rounds", f"refused in rounds {conflicts}")
    b.logout()


SCENARIOS = {
    "garbage": sc_garbage,
    "digests": sc_digests,
    "bad_header_digest": sc_bad_header_digest,
    "bad_data_digest": sc_bad_data_digest,
    "unknown_opcode": sc_unknown_opcode,
    "reinstatement": sc_reinstatement,
    "nop_ping": sc_nop_ping,
    "oversized_segment": sc_oversized_segment,
    "cmdsn_window": sc_cmdsn_window,
    "text_sendtargets": sc_text_sendtargets,
    "tmf": sc_tmf,
    "tmf_inflight": sc_tmf_inflight,
    "tmf_cold_reset": sc_tmf_cold_reset,
    "logout_releases": sc_logout_releases,
    "fault_session": sc_fault_session,
    "fault_task": sc_fault_task,
    "fault_lu": sc_fault_lu,
}


def scenario_parser(doc):
    """The command line every scenario driver shares (Ctx reads these)."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--lun", type=int, default=0)
    p.add_argument("--block", type=int, default=512)
    return p


def run_scenario(ctx, name, fn, seconds):
    """Runs one scenario under an alarm of `seconds`, closes its
    connections, prints the verdict line; returns the exit code."""
    def alarm(signum, frame):
        raise Failure(f"scenario exceeded {seconds} s")
    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        fn(ctx)
    except Failure as e:
        ctx.failures += 1
        print(f"FAIL: {e}", flush=True)
    except (Closed, TimedOut, OSError) as e:
        ctx.failures += 1
        print(f"FAIL: {type(e).__name__}: {e}", flush=True)
    finally:
        signal.alarm(0)
        for c in ctx.conns:
            c.close()
    print(f"{'PASS' if ctx.failures == 0 else 'FAIL'}: scenario {name}"
          f"{'' if ctx.failures == 0 else f' ({ctx.failures} failure(s))'}", flush=True)
    return 0 if ctx.failures == 0 else 1


def main():
    p = scenario_parser(__doc__)
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    args = p.parse_args()
    return run_scenario(Ctx(args), args.scenario, SCENARIOS[args.scenario], SCENARIO_SECONDS)


if __name__ == "__main__":
    sys.exit(main())
