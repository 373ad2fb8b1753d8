#!/usr/bin/env python3
"""Writes the seed inputs of corpus/admin (the request stream of
fuzz_admin.cpp). Run from tests/fuzz."""
import struct

from seeds_iscsi import write_files


def s(text):
    b = text.encode()
    return bytes([len(b)]) + b


def lu(name, size=1 << 20, backing=0, path="", flags=1):
    return s(name) + bytes([backing]) + s(path) + struct.pack(">QH", size, 256) + bytes([flags])


def view(lu_name, hg="", tg="", target="", lun=0):
    return s(lu_name) + s(hg) + s(tg) + s(target) + struct.pack(">H", lun)


APPLY = b"""{"targets": [{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1:3260"],
  "luns": [{"lun": 0, "logicalUnit": "lu0"}, {"lun": 1, "logicalUnit": "lu2"}]}],
  "logicalUnits": [{"name": "lu0", "backing": "ram", "sizeBytes": 1048576},
                   {"name": "lu2", "backing": "ram", "sizeBytes": 1048576}]}"""

seeds = {
    "lus": bytes([0]) + lu("new1") + bytes([0]) + lu("file1", backing=1, path="f1.img") + bytes([2]) + s("new1") + b"\0" +
           bytes([3]) + s("lu1") + lu("lu1", size=4 << 20, flags=2) + bytes([1]) + s("new1") + bytes([13]) + s("") + s(""),
    "groups_views": bytes([0x85]) + s("hg2") + bytes([0x87]) + s("hg2") + s("iqn.2026-11.i:2") + bytes([5]) + s("tg") +
                    bytes([7]) + s("tg") + s("iqn.2026-11.t:a") + bytes([9]) + view("lu1", hg="hg2", lun=3) + b"\1" +
                    bytes([9]) + view("lu1") + b"\0" + bytes([10]) + view("lu1", hg="hg2", lun=3) +
                    bytes([0x88]) + s("hg") + s("iqn.2026-11.i:1") + bytes([0x86]) + s("hg2"),
    "apply": bytes([11]) + struct.pack(">H", len(APPLY)) + APPLY + b"\1" + bytes([11]) + struct.pack(">H", len(APPLY)) +
             APPLY + b"\0",
    "alua": bytes([12]) + struct.pack(">H", 1) + s("standby") + s("lu0") + bytes([13]) + s("lu0") + s("lu0"),
    "import": bytes([4]) + s("missing.img") + s("imp"),
}

if __name__ == "__main__":
    write_files("corpus/admin", seeds)
