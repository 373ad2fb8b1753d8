#include "tests/tools/pattern_ledger.hpp"

#include <algorithm>

namespace stmfd::tools {

std::uint64_t pattern_ledger::issue(std::uint64_t lba, std::uint32_t blocks) {
  writes_.push_back({lba, blocks, write_outcome::in_flight, {}});
  std::uint64_t id = writes_.size();
  for (std::uint64_t b = lba; b < lba + blocks; ++b) by_block_[b].push_back(id);
  in_flight_[lba] = id;
  return id;
}

void pattern_ledger::complete(std::uint64_t id, bool good, std::string detail) {
  if (id == 0 || id > writes_.size()) return;
  write_record& w = writes_[id - 1];
  if (w.outcome != write_outcome::in_flight) return;
  w.outcome = good ? write_outcome::good : write_outcome::failed;
  w.detail = std::move(detail);
  auto it = in_flight_.find(w.lba);
  if (it != in_flight_.end() && it->second == id) in_flight_.erase(it);
}

bool pattern_ledger::overlaps_in_flight(std::uint64_t lba, std::uint32_t blocks) const {
  // In-flight writes never overlap each other, so only the one starting at
  // or before the range's end and last before it can reach into it.
  auto it = in_flight_.lower_bound(lba + blocks);
  if (it == in_flight_.begin()) return false;
  --it;
  const write_record& w = writes_[it->second - 1];
  return w.lba + w.blocks > lba;
}

const write_record* pattern_ledger::find(std::uint64_t id) const {
  return id == 0 || id > writes_.size() ? nullptr : &writes_[id - 1];
}

block_verdict pattern_ledger::check(std::uint64_t lba, const block_content& got, std::string* explain) {
  static const std::vector<std::uint64_t> none;
  auto h = by_block_.find(lba);
  const std::vector<std::uint64_t>& hist = h == by_block_.end() ? none : h->second;
  auto last_good = std::find_if(hist.rbegin(), hist.rend(),
                                [&](std::uint64_t id) { return writes_[id - 1].outcome == write_outcome::good; });
  bool is_ours = got.what == block_content::kind::ours;
  auto say = [&](std::string s) {
    if (explain) *explain = std::move(s);
  };
  auto held = [&]() -> std::string {
    switch (got.what) {
      case block_content::kind::blank: return "zeros";
      case block_content::kind::foreign: return "data this run did not write";
      case block_content::kind::damaged:
        return "a torn or misplaced block (header write " + std::to_string(got.write_id) + ")";
      case block_content::kind::ours: return "write " + std::to_string(got.write_id);
    }
    return "?";
  };
  if (last_good == hist.rend()) {  // nothing acknowledged here
    bool from_here = is_ours && std::find(hist.begin(), hist.end(), got.write_id) != hist.end();
    if (from_here) return block_verdict::ok;
    if (is_ours || got.what == block_content::kind::damaged) {
      ++corrupt_;
      say("lba " + std::to_string(lba) + " holds " + held() + ", which no write of this block put there");
      return block_verdict::corrupt;
    }
    return block_verdict::unchecked;
  }
  std::uint64_t good_id = *last_good;
  // Acceptable: the acknowledged write and every (non-GOOD) write issued after it.
  auto from = std::prev(last_good.base());
  if (is_ours && std::find(from, hist.end(), got.write_id) != hist.end()) return block_verdict::ok;
  lost_.insert(good_id);
  say("lba " + std::to_string(lba) + " holds " + held() + ", not acknowledged write " + std::to_string(good_id) +
      " (or a failed write after it)");
  return block_verdict::lost;
}

ledger_totals pattern_ledger::totals() const {
  ledger_totals t;
  t.writes = writes_.size();
  for (const write_record& w : writes_) {
    if (w.outcome == write_outcome::failed) ++t.failed;
    if (w.outcome != write_outcome::good) continue;
    ++t.acked;
    auto first = unreadable_.lower_bound(w.lba);
    if (first == unreadable_.end() || *first >= w.lba + w.blocks) ++t.acked_checked;
  }
  t.lost_writes = lost_.size();
  t.corrupt_blocks = corrupt_;
  t.unreadable_blocks = unreadable_.size();
  return t;
}

}  // namespace stmfd::tools
