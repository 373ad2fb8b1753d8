#pragma once
// The phases of iscsi_pattern over one iscsi_link and one pattern_ledger:
// prefill (every block of the area written once; all must end GOOD), write
// (random sizes and offsets, overlapping earlier writes, QD commands in
// flight, retries of retryable answers) and verify (every block read back
// through a new session and judged by the ledger). Every phase has a wall
// time bound: commands still in flight after it are a hang.
#include <cstdint>
#include <deque>
#include <random>
#include <string>

#include "tests/tools/iscsi_link.hpp"
#include "tests/tools/pattern_ledger.hpp"

namespace stmfd::tools {

struct run_options {
  std::string url, initiator;
  std::uint64_t seed = 1;
  std::uint64_t area_lba = 0, area_blocks = 8192;
  int queue_depth = 8;
  std::uint32_t max_blocks = 128;  // largest write (and read) in blocks
  double seconds = 2;              // write phase length...
  std::uint64_t writes = 0;        // ...or this many writes issued (0: no limit), whichever comes first
  int phase_timeout_s = 90;        // bound on a phase beyond its work (an LU's restart back-off is <= 60 s)
  int cmd_timeout_s = 30;
  bool verbose = false;
};

enum class phase_result { done, gave_up, hang };

class pattern_run {
 public:
  pattern_run(run_options opts, iscsi_link& link);

  phase_result prefill();
  phase_result write_phase();
  phase_result verify(iscsi_link& fresh);  // reads through FRESH (a new session)

  pattern_ledger& ledger() { return ledger_; }
  std::uint64_t failed_attempts() const { return failed_attempts_; }
  std::uint64_t retries() const { return retries_; }
  const std::string& last_failure() const { return last_failure_; }

 private:
  struct range {
    std::uint64_t lba;
    std::uint32_t blocks;
    steady::time_point not_before;
  };
  bool reserved(std::uint64_t lba, std::uint32_t blocks) const;
  void issue(const range& r);
  void on_write(std::uint64_t id, range r, const completion& c);
  // Services LINK until PENDING work and retries are gone or DEADLINE.
  phase_result drain(iscsi_link& link, steady::time_point deadline, const char* phase);
  void retry_due();

  run_options opts_;
  iscsi_link& link_;
  pattern_ledger ledger_;
  std::mt19937_64 rng_;
  std::deque<range> retry_;  // writes to send again, in order
  std::uint64_t failed_attempts_ = 0, retries_ = 0;
  std::string last_failure_;
  bool retrying_ = true;  // false once the phase deadline passed: failures are final
};

}  // namespace stmfd::tools
