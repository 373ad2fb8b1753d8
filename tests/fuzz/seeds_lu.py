#!/usr/bin/env python3
"""Writes the seed inputs of corpus/lu_sbd, corpus/lu_ssc and corpus/lu_smc
(the command stream of lu_runner.hpp: [flags][CDB][Data-Out length, 2 bytes]
[Data-Out]) and corpus/fc (fuzz_fc.cpp records). Run from tests/fuzz."""
import struct

from seeds_iscsi import write_files


def cmd(cdb, data=b"", flags=0):
    return bytes([flags]) + bytes(cdb) + struct.pack(">H", len(data)) + data


def cdb16(*b):
    return bytes(b).ljust(16, b"\0")


TUR = [0, 0, 0, 0, 0, 0]
INQ = [0x12, 0, 0, 0, 0xFF, 0]
VPD = lambda page: [0x12, 1, page, 0, 0xFF, 0]
RSOC = list(cdb16(0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x10, 0)[:12])
REQ_SENSE = [0x03, 0, 0, 0, 252, 0]
MODE_SENSE6 = [0x1A, 0, 0x3F, 0, 0xFF, 0]
MODE_SENSE10 = [0x5A, 0, 0x3F, 0, 0, 0, 0, 0x10, 0, 0]
PREVENT = [0x1E, 0, 0, 0, 1, 0]
ALLOW = [0x1E, 0, 0, 0, 0, 0]
block = bytes(range(256)) * 2

sbd = {
    "basic": bytes([0]) + cmd(TUR) + cmd(INQ) + cmd(VPD(0x83)) + cmd(VPD(0xB0)) + cmd(VPD(0x00)) +
             cmd([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]) + cmd(cdb16(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32)) +
             cmd(MODE_SENSE6) + cmd(MODE_SENSE10) + cmd(RSOC) + cmd(REQ_SENSE) + cmd([0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0]),
    "rw": bytes([0]) + cmd([0x2A, 0, 0, 0, 0, 1, 0, 0, 1, 0], block) + cmd([0x28, 0, 0, 0, 0, 1, 0, 0, 1, 0]) +
          cmd([0x2F, 2, 0, 0, 0, 1, 0, 0, 1, 0], block) + cmd([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]) +
          cmd([0x2E, 2, 0, 0, 0, 2, 0, 0, 1, 0], block) + cmd([0x08, 0, 0, 3, 1, 0]) + cmd([0x0A, 0, 0, 4, 1, 0], block) +
          cmd(cdb16(0x8A, 0x08, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1), block) + cmd(cdb16(0x88, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1)) +
          cmd(cdb16(0x89, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1), block + block) +
          cmd([0x8B, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0], block) + cmd([0x2A, 0, 0, 0, 0, 7, 0, 0, 1, 0], block, flags=4),
    "thin": bytes([2]) + cmd(VPD(0xB2)) + cmd(cdb16(0x93, 0x08, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 4), block) +
            cmd(cdb16(0x93, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 4), block) +
            cmd([0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0], bytes([0, 22, 0, 16, 0, 0, 0, 0]) + struct.pack(">QI4x", 16, 8)) +
            cmd(cdb16(0x9E, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0)),
    "mode_select": bytes([16]) + cmd([0x15, 0x10, 0, 0, 24, 0], bytes([0, 0, 0, 0, 0x08, 0x12, 0x04]) + bytes(17)) +
                   cmd([0x55, 0x10, 0, 0, 0, 0, 0, 0, 20, 0], bytes(8) + bytes([0x0A, 0x0A, 0x04]) + bytes(9)) + cmd(MODE_SENSE6),
    "long_ops": bytes([0]) + cmd([0x04, 0, 0, 0, 0, 0]) + cmd([0x48, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]) +
                cmd([0x48, 0x83, 0, 0, 0, 0, 0, 0, 0, 0]) + cmd(REQ_SENSE) + cmd(TUR),
    "removable": bytes([4]) + cmd(PREVENT) + cmd([0x1B, 0, 0, 0, 2, 0]) + cmd(ALLOW) + cmd([0x1B, 0, 0, 0, 2, 0]) +
                 cmd(TUR) + cmd([0x1B, 0, 0, 0, 3, 0]) + cmd([0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8, 0], flags=0x30),
    "xcopy_and_pr": bytes([0]) + cmd([0x5E, 0, 0, 0, 0, 0, 0, 0x10, 0, 0]) + cmd([0x84, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]) +
                    cmd(cdb16(0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20), bytes(32)),
}

RAW = "variable"
ssc = {
    "write_read": bytes([1]) + cmd([0x0A, 0, 0, 0, 16, 0], b"0123456789abcdef") + cmd([0x10, 0, 0, 0, 1, 0]) +
                  cmd([0x01, 0, 0, 0, 0, 0]) + cmd([0x08, 0, 0, 0, 16, 0]) + cmd([0x08, 2, 0, 0, 64, 0]) +
                  cmd([0x11, 1, 0, 0, 1, 0]) + cmd([0x34, 6, 0, 0, 0, 0, 0, 0, 0, 0]) + cmd([0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    "modes": bytes([1]) + cmd([0x15, 0x10, 0, 0, 12, 0], bytes([0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 2, 0])) +
             cmd([0x0A, 1, 0, 0, 2, 0], bytes(1024)) + cmd([0x08, 1, 0, 0, 1, 0]) + cmd(MODE_SENSE6) + cmd(MODE_SENSE10) +
             cmd([0x05, 0, 0, 0, 0, 0]) + cmd([0x44, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0]),
    "motion": bytes([1]) + cmd([0x0A, 0, 0, 1, 0, 0], block) * 3 + cmd([0x10, 0, 0, 0, 2, 0]) +
              cmd([0x2B, 0, 0, 0, 0, 1, 0, 0, 0, 0]) + cmd(cdb16(0x92, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2)) +
              cmd([0x11, 3, 0, 0, 0, 0]) + cmd([0x19, 1, 0, 0, 0, 0]) + cmd([0x1B, 0, 0, 0, 0, 0]) + cmd([0x1B, 0, 0, 0, 1, 0]) +
              cmd(TUR),
    "unloaded": bytes([0]) + cmd(TUR) + cmd(INQ) + cmd(VPD(0x80)) + cmd(VPD(0x83)) + cmd(REQ_SENSE) + cmd([0x1B, 0, 0, 0, 1, 0]) +
                cmd([0x08, 0, 0, 0, 1, 0]) + cmd(PREVENT) + cmd(RSOC),
    "damaged_file": bytes([5, 0, 64]) + b"STMFDTAPE" + bytes(55) + cmd([0x08, 0, 0, 0, 16, 0]) + cmd([0x01, 0, 0, 0, 0, 0]),
}


def res(kind, start, count, alloc=0x400, voltag=True):
    return [0xB8, (0x10 if voltag else 0) | kind, start >> 8, start & 255, count >> 8, count & 255, 1,
            alloc >> 16, (alloc >> 8) & 255, alloc & 255, 0, 0]


smc = {
    "status": bytes([0]) + cmd(INQ) + cmd(VPD(0x83)) + cmd(res(0, 0, 100)) + cmd(res(2, 0, 10)) + cmd(res(4, 0, 4)) +
              cmd([0x1A, 0, 0x1D, 0, 0xFF, 0]) + cmd([0x1A, 0, 0x1E, 0, 0xFF, 0]) + cmd([0x1A, 0, 0x1F, 0, 0xFF, 0]) +
              cmd(RSOC) + cmd(REQ_SENSE),
    "move": bytes([0]) + cmd(res(0, 0, 100)) + cmd([0xA5, 0, 0, 0, 0x10, 0x00, 0x01, 0x00, 0, 0, 0, 0]) +
            cmd([0xA5, 0, 0, 0, 0x01, 0x00, 0x10, 0x01, 0, 0, 0, 0]) + cmd([0xA5, 0, 0, 0, 0x10, 0x01, 0x02, 0x00, 0, 0, 0, 0], flags=4) +
            cmd([0x07, 0, 0, 0, 0, 0]) + cmd(PREVENT) + cmd([0xA5, 0, 0, 0, 0x10, 0x00, 0x01, 0x00, 0, 0, 0, 0]) +
            cmd(ALLOW, flags=0x10) + cmd([0xA6, 0, 0, 0, 0x10, 0x00, 0x01, 0x00, 0x10, 0x02, 0, 0]),
    "restored": bytes([1, 0, 8]) + bytes([1, 0, 0, 0, 0, 0, 0, 0]) + cmd(res(0, 0, 100)),
}


def eth(dst, src, ethertype, payload):
    return bytes(dst) + bytes(src) + struct.pack(">H", ethertype) + payload


def fc_frame(r_ctl, type_, payload, d_id=0x010203, s_id=0x0A0B0C, f_ctl=0x290000, ox=1):
    hdr = bytes([r_ctl]) + d_id.to_bytes(3, "big") + bytes([0]) + s_id.to_bytes(3, "big") + bytes([type_]) + \
        f_ctl.to_bytes(3, "big") + bytes([0, 0]) + struct.pack(">HHHI", 0, ox, 0xFFFF, 0)
    return hdr + payload


def rec(kind, blob):
    return bytes([kind]) + struct.pack(">H", len(blob)) + blob


def login_payload(cmd_code):
    p = bytearray(116)
    p[0] = cmd_code
    p[4:8] = bytes([0x20, 0x20, 0, 0x08])  # FC-PH version, BB credit
    p[8:10] = bytes([0x88, 0])
    p[10:12] = (2112).to_bytes(2, "big")
    p[20:28] = (0x2100000000000099).to_bytes(8, "big")
    p[28:36] = (0x2000000000000099).to_bytes(8, "big")
    p[68] = 0x80  # class 3 valid
    p[74:76] = (2112).to_bytes(2, "big")
    return bytes(p)


prli = bytes([0x20, 0x10, 0, 0x14]) + bytes([0x08, 0, 0x20, 0]) + bytes(8) + bytes([0, 0, 0, 0xA2])
fcp_cmnd = bytes(8) + bytes([0, 0, 0, 0x02]) + bytes([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0]).ljust(16, b"\0") + struct.pack(">I", 512)
fc = {
    "login": rec(1, fc_frame(0x22, 0x01, login_payload(0x04))) + rec(1, fc_frame(0x22, 0x01, login_payload(0x03))) +
             rec(1, fc_frame(0x22, 0x01, prli)) + rec(1, fc_frame(0x06, 0x08, fcp_cmnd)) +
             rec(1, fc_frame(0x22, 0x01, bytes([0x52, 0, 0, 0]) + bytes(24))) +
             rec(1, fc_frame(0x22, 0x01, bytes([0x10, 0, 0, 0]) + b"echo")) + rec(1, fc_frame(0x22, 0x01, bytes([0x0E, 0, 0, 0]))) +
             rec(1, fc_frame(0x22, 0x01, bytes([0x0F, 0, 0, 0]) + bytes(4))) + rec(1, fc_frame(0x22, 0x01, bytes([0x21, 0x10, 0, 0x14]) + bytes(16))) +
             rec(1, fc_frame(0x22, 0x01, bytes([0x05, 0, 0, 0]) + bytes(12))) + rec(1, fc_frame(0x22, 0x01, bytes([0x51, 0, 0, 0]))),
    "replies": rec(1, fc_frame(0x23, 0x01, bytes([0x02]) + login_payload(0x02)[1:])) +
               rec(1, fc_frame(0x23, 0x01, bytes([0x01, 0, 0, 0, 0, 0x09, 0x1E, 0]))) +
               rec(1, fc_frame(0x05, 0x08, struct.pack(">II4x", 0, 512))) + rec(1, fc_frame(0x07, 0x08, bytes(24))) +
               rec(1, fc_frame(0x84, 0x00, bytes(12))) + rec(1, fc_frame(0x85, 0x00, bytes(4))),
    "fip": rec(0, eth([0x01, 0x10, 0x18, 1, 0, 4], [2, 0, 0, 0, 0, 2], 0x8914,
                      bytes([0x10, 0, 0, 4, 0, 1, 0, 3, 0, 0]) + bytes(2) + bytes([2, 2, 2, 0, 0, 0, 0, 2]) +
                      bytes([4, 2]) + (0x2000000000000002).to_bytes(8, "big") + bytes([0, 0]))) + rec(2, b"") + rec(2, b"") +
           rec(0, eth([0x0E, 0xFD, 0, 1, 2, 3], [0x0E, 0xFD, 0, 0x0A, 0x0B, 0x0C], 0x8906, bytes(13) + bytes([0x2E]) +
                      fc_frame(0x22, 0x01, login_payload(0x03)) + bytes(4) + bytes([0x42, 0, 0, 0]))),
}

if __name__ == "__main__":
    write_files("corpus/lu_sbd", sbd)
    write_files("corpus/lu_ssc", ssc)
    write_files("corpus/lu_smc", smc)
    write_files("corpus/fc", fc)
