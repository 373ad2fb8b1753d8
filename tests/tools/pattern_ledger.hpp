#pragma once
// The bookkeeping of iscsi_pattern: every write the client issued, what the
// target answered, and what each block may hold when it is read back.
//
// The rule (issue 10 section 2; SAM-5 5.2: a command that completed with
// GOOD has done its work, one that ended otherwise may or may not have):
// for each block, take the writes that covered it in the order they were
// issued; the last one that got GOOD must be what the block holds, or one
// of the writes issued after it that did not get GOOD (failed, timed out,
// cut off by a dropped connection: old or new data). Anything else - a
// blank, another write's data, a failed write issued before that GOOD one,
// a torn or misplaced block - loses that acknowledged write.
// A block no write ever got GOOD for may hold its old content or any of its
// failed writes; only this run's data that no write of its put there
// (misplaced) counts as corruption.
//
// Issue order is completion order for writes to the same block because the
// client never has two overlapping writes in flight (overlaps_in_flight):
// SAM-5 SIMPLE tasks may be reordered by the target, so overlapping writes
// in flight at once would have no defined result.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "tests/tools/pattern_block.hpp"

namespace stmfd::tools {

enum class write_outcome { in_flight, good, failed };

struct write_record {
  std::uint64_t lba = 0;
  std::uint32_t blocks = 0;
  write_outcome outcome = write_outcome::in_flight;
  std::string detail;  // for failed: the status or sense the client saw
};

enum class block_verdict {
  ok,         // holds the last acknowledged write, or a failed write issued after it
  lost,       // does not: the acknowledged write is counted lost
  corrupt,    // no write was acknowledged here, and it holds this run's data from no write of this block
  unchecked,  // no write was acknowledged here and it holds old (blank or foreign) data: nothing to prove
};

struct ledger_totals {
  std::uint64_t writes = 0;             // issued
  std::uint64_t acked = 0;              // got GOOD
  std::uint64_t failed = 0;             // ended in anything but GOOD
  std::uint64_t acked_checked = 0;      // acknowledged writes every block of which was read back
  std::uint64_t lost_writes = 0;        // acknowledged writes found missing in at least one block
  std::uint64_t corrupt_blocks = 0;     // verdict corrupt
  std::uint64_t unreadable_blocks = 0;  // blocks the verify phase could not read
};

class pattern_ledger {
 public:
  // A new write of BLOCKS blocks at LBA; returns its id (1, 2, ...).
  std::uint64_t issue(std::uint64_t lba, std::uint32_t blocks);
  // The target's answer for write ID (an unknown id or a second answer is ignored).
  void complete(std::uint64_t id, bool good, std::string detail = {});
  // True when a write in flight covers any block of [lba, lba + blocks).
  bool overlaps_in_flight(std::uint64_t lba, std::uint32_t blocks) const;
  std::size_t in_flight() const { return in_flight_.size(); }
  const write_record* find(std::uint64_t id) const;

  // Judges what block LBA held on read-back; a lost verdict marks the
  // block's last acknowledged write lost. EXPLAIN (if not null) gets a
  // sentence for the report.
  block_verdict check(std::uint64_t lba, const block_content& got, std::string* explain = nullptr);
  // The verify phase could not read LBA: its acknowledged writes are not checked.
  void unreadable(std::uint64_t lba) { unreadable_.insert(lba); }

  ledger_totals totals() const;

 private:
  std::vector<write_record> writes_;                                        // id - 1 -> record
  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> by_block_;  // lba -> ids in issue order
  std::map<std::uint64_t, std::uint64_t> in_flight_;                        // first lba -> id
  std::set<std::uint64_t> lost_;                                            // ids of lost acknowledged writes
  std::set<std::uint64_t> unreadable_;                                      // lbas
  std::uint64_t corrupt_ = 0;
};

}  // namespace stmfd::tools
