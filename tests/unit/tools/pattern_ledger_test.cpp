#include "tests/tools/pattern_ledger.hpp"

#include <catch2/catch.hpp>

using namespace stmfd::tools;
using kind = block_content::kind;

namespace {
block_content ours(std::uint64_t id) { return {kind::ours, id}; }
// A write of BLOCKS at LBA that got GOOD.
std::uint64_t acked(pattern_ledger& l, std::uint64_t lba, std::uint32_t blocks) {
  auto id = l.issue(lba, blocks);
  l.complete(id, true);
  return id;
}
}  // namespace

TEST_CASE("ledger_acked_write_must_read_back", "[tools]") {
  pattern_ledger l;
  auto a = acked(l, 10, 4);
  CHECK(l.check(10, ours(a)) == block_verdict::ok);
  std::string why;
  CHECK(l.check(11, {kind::blank, 0}, &why) == block_verdict::lost);
  CHECK(why.find("not acknowledged write 1") != std::string::npos);
  CHECK(l.check(12, {kind::foreign, 0}) == block_verdict::lost);
  CHECK(l.check(13, {kind::damaged, a}) == block_verdict::lost);
  ledger_totals t = l.totals();
  CHECK(t.acked == 1);
  CHECK(t.lost_writes == 1);  // one write, counted once however many of its blocks are missing
  CHECK(t.acked_checked == 1);
}

TEST_CASE("ledger_later_acked_overlap_supersedes", "[tools]") {
  pattern_ledger l;
  auto a = acked(l, 0, 8);
  auto b = acked(l, 4, 8);
  CHECK(l.check(2, ours(a)) == block_verdict::ok);  // only a covers it
  CHECK(l.check(5, ours(b)) == block_verdict::ok);
  CHECK(l.check(6, ours(a)) == block_verdict::lost);  // a landing over b loses b
  CHECK(l.totals().lost_writes == 1);
}

TEST_CASE("ledger_failed_write_may_hold_old_or_new", "[tools]") {
  pattern_ledger l;
  auto a = acked(l, 0, 4);
  auto f = l.issue(0, 4);
  l.complete(f, false, "CHECK CONDITION 3/11/00");
  CHECK(l.check(0, ours(a)) == block_verdict::ok);
  CHECK(l.check(1, ours(f)) == block_verdict::ok);
  CHECK(l.check(2, {kind::blank, 0}) == block_verdict::lost);  // neither
  CHECK(l.find(f)->detail == "CHECK CONDITION 3/11/00");
  ledger_totals t = l.totals();
  CHECK(t.failed == 1);
  CHECK(t.acked == 1);
}

TEST_CASE("ledger_failed_write_landing_after_a_later_ack_is_a_loss", "[tools]") {
  // The session-7 defect: a failed write held by a stalled backing I/O
  // lands after the retry that got GOOD.
  pattern_ledger l;
  auto old = l.issue(0, 2);
  l.complete(old, false, "CHECK CONDITION 4/44/00");
  auto retry = acked(l, 0, 2);
  CHECK(l.check(0, ours(retry)) == block_verdict::ok);
  CHECK(l.check(1, ours(old)) == block_verdict::lost);
  CHECK(l.totals().lost_writes == 1);
}

TEST_CASE("ledger_never_acked_block", "[tools]") {
  pattern_ledger l;
  auto f = l.issue(0, 1);
  l.complete(f, false);
  CHECK(l.check(0, {kind::blank, 0}) == block_verdict::unchecked);  // old data
  CHECK(l.check(0, ours(f)) == block_verdict::ok);                  // new data
  auto g = l.issue(5, 1);
  l.complete(g, false);
  CHECK(l.check(0, ours(g)) == block_verdict::corrupt);  // g never covered block 0
  CHECK(l.check(9, ours(f)) == block_verdict::corrupt);
  CHECK(l.totals().corrupt_blocks == 2);
  CHECK(l.totals().lost_writes == 0);
}

TEST_CASE("ledger_in_flight_overlap", "[tools]") {
  pattern_ledger l;
  auto a = l.issue(10, 5);  // 10..14
  CHECK(l.overlaps_in_flight(14, 1));
  CHECK(l.overlaps_in_flight(5, 6));
  CHECK_FALSE(l.overlaps_in_flight(15, 3));
  CHECK_FALSE(l.overlaps_in_flight(0, 10));
  auto b = l.issue(20, 2);
  CHECK(l.in_flight() == 2);
  l.complete(a, true);
  CHECK_FALSE(l.overlaps_in_flight(10, 5));
  CHECK(l.overlaps_in_flight(0, 21));
  l.complete(b, false);
  l.complete(b, true);  // a second answer is ignored
  CHECK(l.find(b)->outcome == write_outcome::failed);
  CHECK(l.in_flight() == 0);
}

TEST_CASE("ledger_unreadable_blocks_are_not_checked", "[tools]") {
  pattern_ledger l;
  acked(l, 0, 4);
  acked(l, 10, 4);
  l.unreadable(12);
  ledger_totals t = l.totals();
  CHECK(t.acked == 2);
  CHECK(t.acked_checked == 1);
  CHECK(t.unreadable_blocks == 1);
}
