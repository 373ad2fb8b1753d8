#include "tests/tools/pattern_run.hpp"

#include <cstdio>

#include "tests/tools/pattern_block.hpp"

namespace stmfd::tools {
namespace {

using std::chrono::milliseconds;

constexpr int reports_max = 20;  // LOST/FAILED lines printed per run; the totals count them all
constexpr std::uint32_t write_sizes[] = {1, 2, 3, 8, 16, 33, 64, 128, 256};

// How long an initiator waits before sending a retryable command again: a
// unit attention is consumed by the answer that reported it, so at once;
// the others report a state that takes time to pass.
milliseconds retry_delay(const completion& c) {
  if (c.unit_attention()) return milliseconds(0);
  return milliseconds(100);
}

}  // namespace

pattern_run::pattern_run(run_options opts, iscsi_link& link) : opts_(std::move(opts)), link_(link), rng_(opts_.seed) {}

bool pattern_run::reserved(std::uint64_t lba, std::uint32_t blocks) const {
  if (ledger_.overlaps_in_flight(lba, blocks)) return true;
  for (const range& r : retry_)
    if (r.lba < lba + blocks && lba < r.lba + r.blocks) return true;
  return false;
}

void pattern_run::issue(const range& r) {
  std::uint64_t id = ledger_.issue(r.lba, r.blocks);
  const std::uint32_t bs = link_.block_size();
  std::vector<std::uint8_t> buf(std::size_t{r.blocks} * bs);
  for (std::uint32_t i = 0; i < r.blocks; ++i)
    fill_block(std::span(buf).subspan(std::size_t{i} * bs, bs), opts_.seed, r.lba + i, id);
  if (!link_.write16(r.lba, std::move(buf), [this, id, r](const completion& c) { on_write(id, r, c); })) {
    on_write(id, r, completion::not_sent());
  }
}

void pattern_run::on_write(std::uint64_t id, range r, const completion& c) {
  ledger_.complete(id, c.good(), c.good() ? std::string() : c.describe());
  if (c.good()) return;
  ++failed_attempts_;
  last_failure_ = c.describe();
  if (failed_attempts_ <= reports_max)
    std::printf("FAILED write %llu lba %llu +%u: %s%s\n", static_cast<unsigned long long>(id),
                static_cast<unsigned long long>(r.lba), r.blocks, last_failure_.c_str(),
                c.retryable() && retrying_ ? " (retried)" : "");
  if (c.retryable() && retrying_) {
    ++retries_;
    retry_.push_back({r.lba, r.blocks, steady::now() + retry_delay(c)});
  }
}

void pattern_run::retry_due() {
  const auto now = steady::now();
  for (auto it = retry_.begin(); it != retry_.end() && link_.outstanding() < opts_.queue_depth;) {
    if (it->not_before > now || ledger_.overlaps_in_flight(it->lba, it->blocks)) {
      ++it;
      continue;
    }
    range r = *it;
    it = retry_.erase(it);
    issue(r);  // may push a new retry (refused by libiscsi): start over, erase invalidated IT
    it = retry_.begin();
  }
}

phase_result pattern_run::drain(iscsi_link& link, steady::time_point deadline, const char* phase) {
  while (link.outstanding() > 0 || (&link == &link_ && !retry_.empty())) {
    if (steady::now() > deadline) {
      if (link.outstanding() > 0) {
        std::printf("HANG: %d commands still in flight %d s after the %s phase's work ended\n", link.outstanding(),
                    opts_.phase_timeout_s, phase);
        return phase_result::hang;
      }
      std::printf("GAVE UP: %zu writes still failing after %d s in the %s phase (last: %s)\n", retry_.size(),
                  opts_.phase_timeout_s, phase, last_failure_.c_str());
      retrying_ = false;
      retry_.clear();
      return phase_result::gave_up;
    }
    if (&link == &link_) retry_due();
    link.service(50);
  }
  return phase_result::done;
}

phase_result pattern_run::prefill() {
  const std::uint64_t end = opts_.area_lba + opts_.area_blocks;
  const auto deadline = steady::now() + std::chrono::seconds(opts_.phase_timeout_s);
  std::uint64_t next = opts_.area_lba;
  std::uint64_t failed_before = failed_attempts_ - retries_;
  while (next < end && steady::now() < deadline) {
    retry_due();
    while (next < end && link_.outstanding() < opts_.queue_depth) {
      auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(opts_.max_blocks, end - next));
      issue({next, n, {}});
      next += n;
    }
    link_.service(50);
  }
  phase_result r = drain(link_, deadline, "prefill");
  if (r == phase_result::done && (next < end || failed_attempts_ - retries_ > failed_before))
    return phase_result::gave_up;  // a prefill write failed for good: the old data is unknown
  return r;
}

phase_result pattern_run::write_phase() {
  const auto start = steady::now();
  const auto end = start + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(opts_.seconds));
  std::uint64_t issued = 0;
  std::uniform_int_distribution<std::size_t> pick_size(0, std::size(write_sizes) - 1);
  while (steady::now() < end && (opts_.writes == 0 || issued < opts_.writes)) {
    retry_due();
    for (int tries = 0; tries < 8 && link_.outstanding() < opts_.queue_depth; ++tries) {
      auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(write_sizes[pick_size(rng_)], opts_.max_blocks));
      n = static_cast<std::uint32_t>(std::min<std::uint64_t>(n, opts_.area_blocks));
      std::uniform_int_distribution<std::uint64_t> pick_lba(opts_.area_lba, opts_.area_lba + opts_.area_blocks - n);
      std::uint64_t lba = pick_lba(rng_);
      if (reserved(lba, n)) continue;
      issue({lba, n, {}});
      if (opts_.writes && ++issued >= opts_.writes) break;
    }
    link_.service(10);
  }
  return drain(link_, steady::now() + std::chrono::seconds(opts_.phase_timeout_s), "write");
}

phase_result pattern_run::verify(iscsi_link& fresh) {
  struct chunk {
    std::uint64_t lba;
    std::uint32_t blocks;
    steady::time_point not_before;
  };
  std::deque<chunk> todo;
  for (std::uint64_t lba = opts_.area_lba; lba < opts_.area_lba + opts_.area_blocks; lba += opts_.max_blocks)
    todo.push_back({lba,
                    static_cast<std::uint32_t>(
                        std::min<std::uint64_t>(opts_.max_blocks, opts_.area_lba + opts_.area_blocks - lba)),
                    {}});
  const auto deadline = steady::now() + std::chrono::seconds(opts_.phase_timeout_s);
  const std::uint32_t bs = fresh.block_size();
  int reported = 0;
  auto on_read = [&](chunk ch, const completion& c) {
    if (c.good() && c.data.size() == std::size_t{ch.blocks} * bs) {
      for (std::uint32_t i = 0; i < ch.blocks; ++i) {
        std::span<const std::uint8_t> blk(c.data.data() + std::size_t{i} * bs, bs);
        std::string why;
        block_verdict v = ledger_.check(ch.lba + i, decode_block(blk, opts_.seed, ch.lba + i), &why);
        if ((v == block_verdict::lost || v == block_verdict::corrupt) && reported++ < reports_max)
          std::printf("%s: %s\n", v == block_verdict::lost ? "LOST" : "CORRUPT", why.c_str());
      }
    } else if (c.retryable() && steady::now() < deadline) {
      todo.push_back({ch.lba, ch.blocks, steady::now() + retry_delay(c)});
    } else {
      std::printf("UNREADABLE: lba %llu +%u: %s\n", static_cast<unsigned long long>(ch.lba), ch.blocks,
                  c.good() ? "short Data-In" : c.describe().c_str());
      for (std::uint32_t i = 0; i < ch.blocks; ++i) ledger_.unreadable(ch.lba + i);
    }
  };
  while (!todo.empty() || fresh.outstanding() > 0) {
    if (steady::now() > deadline) {
      if (fresh.outstanding() == 0) {
        for (const chunk& ch : todo)
          for (std::uint32_t i = 0; i < ch.blocks; ++i) ledger_.unreadable(ch.lba + i);
        std::printf("GAVE UP: %zu reads still failing after %d s\n", todo.size(), opts_.phase_timeout_s);
        return phase_result::gave_up;
      }
      std::printf("HANG: %d reads still in flight %d s into the verify phase\n", fresh.outstanding(),
                  opts_.phase_timeout_s);
      return phase_result::hang;
    }
    while (!todo.empty() && fresh.outstanding() < opts_.queue_depth && todo.front().not_before <= steady::now()) {
      chunk ch = todo.front();
      todo.pop_front();
      if (!fresh.read16(ch.lba, ch.blocks, [&, ch](const completion& c) { on_read(ch, c); })) {
        on_read(ch, completion::not_sent());
      }
    }
    fresh.service(50);
  }
  return phase_result::done;
}

}  // namespace stmfd::tools
