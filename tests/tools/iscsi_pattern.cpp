// iscsi_pattern: a libiscsi initiator that writes self-describing patterns
// while faults fire and proves, block by block, that no acknowledged write
// was lost (issue 10 section 2). libiscsi's own tools cannot: iscsi-perf
// only reads, iscsi-dd copies without checking what lands.
//
//   iscsi_pattern --url iscsi://127.0.0.1:3260/iqn.../0 [--seed S]
//                 [--area-lba L --area-blocks N] [--qd 8] [--max-blocks 128]
//                 [--seconds 2] [--writes N] [--phase-timeout 90]
//                 [--cmd-timeout 30] [--hold SECONDS]
//
// Phases: prefill (every block of the area written once, all must end
// GOOD), write (random sizes at random offsets, overlapping earlier writes,
// --qd commands in flight; BUSY, TASK SET FULL, UNIT ATTENTION, NOT READY
// 04/01 and commands cut off by a dropped connection are sent again, as an
// initiator does; libiscsi reconnects by itself), verify (a new session
// reads the whole area back; pattern_ledger judges every block).
// With --hold, the tool prints "PHASE prefill done" and "PHASE write done"
// and waits (at most --hold seconds) for a line on stdin before the next
// phase: the caller arms faults after the first and clears them after the
// second.
//
// Prints FAILED/LOST/CORRUPT/UNREADABLE/HANG/GAVE UP lines as they occur,
// a SUMMARY line, and QUALIFY acked_writes_checked / writes_lost (lost
// acknowledged writes plus corrupt blocks). Exit status: 0 all verified,
// 1 a lost write or a corrupt or unreadable block, 2 usage, 3 a hang (a
// command without an answer past its phase's bound, or no line on stdin in
// time), 4 no session or a write that kept failing past the bound.
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "tests/tools/iscsi_link.hpp"
#include "tests/tools/pattern_run.hpp"

using namespace stmfd::tools;

namespace {

enum exit_code { ok = 0, lost = 1, usage = 2, hang = 3, no_service = 4 };

// Announces PHASE and waits for one line on stdin, at most HOLD_S seconds.
bool hold(const char* phase, int hold_s) {
  std::printf("PHASE %s done\n", phase);
  std::fflush(stdout);
  if (hold_s <= 0) return true;
  pollfd pfd{STDIN_FILENO, POLLIN, 0};
  if (poll(&pfd, 1, hold_s * 1000) <= 0) {
    std::printf("HANG: no go-ahead on stdin %d s after the %s phase\n", hold_s, phase);
    return false;
  }
  char c = 0;
  while (read(STDIN_FILENO, &c, 1) == 1 && c != '\n') {
  }
  return true;
}

void summary(pattern_run& run, bool verified) {
  ledger_totals t = run.ledger().totals();
  std::printf(
      "SUMMARY writes %llu acked %llu failed_attempts %llu retried %llu reconnects %d lost %llu corrupt %llu "
      "unreadable %llu verified %d\n",
      static_cast<unsigned long long>(t.writes), static_cast<unsigned long long>(t.acked),
      static_cast<unsigned long long>(run.failed_attempts()), static_cast<unsigned long long>(run.retries()),
      iscsi_link::reconnects(), static_cast<unsigned long long>(t.lost_writes),
      static_cast<unsigned long long>(t.corrupt_blocks), static_cast<unsigned long long>(t.unreadable_blocks),
      verified ? 1 : 0);
  std::printf("QUALIFY acked_writes_checked %llu\n", static_cast<unsigned long long>(verified ? t.acked_checked : 0));
  std::printf("QUALIFY writes_lost %llu\n", static_cast<unsigned long long>(t.lost_writes + t.corrupt_blocks));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  run_options o;
  int hold_s = 0;
  CLI::App app{"Writes verified patterns over iSCSI (libiscsi) and checks every acknowledged write"};
  app.add_option("--url", o.url, "iscsi://host:port/target-iqn/lun")->required();
  app.add_option("--initiator", o.initiator, "initiator IQN")->default_val("iqn.2026-11.org.stmfd:iscsi-pattern");
  app.add_option("--seed", o.seed, "pattern and workload seed")->default_val(1);
  app.add_option("--area-lba", o.area_lba, "first block of the area this client owns")->default_val(0);
  app.add_option("--area-blocks", o.area_blocks, "blocks in the area")
      ->default_val(8192)
      ->check(CLI::Range(1, 1 << 24));
  app.add_option("--qd", o.queue_depth, "commands in flight")->default_val(8)->check(CLI::Range(1, 128));
  app.add_option("--max-blocks", o.max_blocks, "largest command in blocks")
      ->default_val(128)
      ->check(CLI::Range(1, 1024));
  app.add_option("--seconds", o.seconds, "length of the write phase")->default_val(2)->check(CLI::Range(0.0, 86400.0));
  app.add_option("--writes", o.writes, "end the write phase after this many writes (0: by time only)")->default_val(0);
  app.add_option("--phase-timeout", o.phase_timeout_s, "seconds a phase may overrun before it is a hang")
      ->default_val(90)
      ->check(CLI::Range(1, 3600));
  app.add_option("--cmd-timeout", o.cmd_timeout_s, "libiscsi's timeout per command")
      ->default_val(30)
      ->check(CLI::Range(1, 3600));
  app.add_option("--hold", hold_s, "wait up to this many seconds for a stdin line after prefill and write")
      ->default_val(0);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? ok : usage;
  }
  setvbuf(stdout, nullptr, _IOLBF, 0);
  // A connection the target resets while libiscsi writes to it must end in
  // EPIPE and a reconnect, not kill the client (libiscsi does not always
  // send with MSG_NOSIGNAL); QEMU ignores SIGPIPE the same way.
  std::signal(SIGPIPE, SIG_IGN);

  std::string error;
  auto connect_deadline = [&] { return steady::now() + std::chrono::seconds(o.phase_timeout_s); };
  iscsi_link link(o.url, o.initiator, o.cmd_timeout_s);
  if (!link.connect(connect_deadline(), error)) {
    std::printf("GAVE UP: no session with %s in %d s: %s\n", o.url.c_str(), o.phase_timeout_s, error.c_str());
    return no_service;
  }
  if (o.area_lba + o.area_blocks > link.blocks()) {
    std::printf("usage: the area [%llu, +%llu) is beyond the LU's %llu blocks\n",
                static_cast<unsigned long long>(o.area_lba), static_cast<unsigned long long>(o.area_blocks),
                static_cast<unsigned long long>(link.blocks()));
    return usage;
  }
  pattern_run run(o, link);
  phase_result r = run.prefill();
  if (r != phase_result::done) {
    std::printf("prefill did not complete (%s): the old data is unknown\n",
                r == phase_result::hang ? "hang" : "gave up");
    summary(run, false);
    return r == phase_result::hang ? hang : no_service;
  }
  if (!hold("prefill", hold_s)) return hang;
  phase_result w = run.write_phase();
  if (w == phase_result::hang) {
    summary(run, false);
    return hang;  // a command the target never answered may still land: nothing to verify against
  }
  if (!hold("write", hold_s)) return hang;
  iscsi_link fresh(o.url, o.initiator + "-verify", o.cmd_timeout_s);
  if (!fresh.connect(connect_deadline(), error)) {
    std::printf("GAVE UP: no verify session in %d s: %s\n", o.phase_timeout_s, error.c_str());
    summary(run, false);
    return no_service;
  }
  phase_result v = run.verify(fresh);
  summary(run, v != phase_result::hang);
  ledger_totals t = run.ledger().totals();
  if (v == phase_result::hang) return hang;
  if (t.lost_writes || t.corrupt_blocks || t.unreadable_blocks) return lost;
  return w == phase_result::gave_up ? no_service : ok;
}
