"""The command line shared by the kill -9 clients of persisted state
(aptpl_iscsi.py, tape_durable_iscsi.py): `write --journal J --round R
--seed S [--ready FILE]` and `verify --journal J`, the target's address,
and the exit status (2 when the client itself could not run)."""

import argparse

import raw_iscsi as ri


def run(doc, cmd_write, cmd_verify):
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--lun", type=int, default=0)
    p.add_argument("--journal", required=True)
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("--round", type=int, required=True)
    w.add_argument("--seed", type=int, required=True)
    w.add_argument("--ready")
    sub.add_parser("verify")
    args = p.parse_args()
    try:
        return cmd_write(args) if args.cmd == "write" else cmd_verify(args)
    except (ri.Failure, ri.Closed, ri.TimedOut, OSError) as e:
        print(f"FAIL: {type(e).__name__}: {e}", flush=True)
        return 2
