// "A crash never leaves a cartridge unreadable" (issue 8): a write
// sequence is recorded as the ordered stream of file writes, then cut at
// every byte. A kill -9 keeps exactly such a prefix (every write the
// kernel accepted, in order). After each cut the cartridge must load and
// hold either the tape before the interrupted step, or that tape cut at
// the position the step's write started at (a rewrite whose seal landed),
// or the tape after the step: a write is all or nothing, never stale
// records and never damaged ones.
#include <catch2/catch.hpp>

#include "tests/unit/plugins/lu/ssc/media/tape_file.hpp"

using namespace stmfd::ssc::media;
using namespace stmfd::ssc::media::test;

namespace {

using objects = std::vector<std::string>;

// One step of the scripted sequence and what the tape holds after it.
struct step {
  size_t journal_end;  // f.journal.size() once the step's writes are done
  objects before;      // the tape before the step
  uint64_t start = 0;  // position the step's write started at
  objects items;       // what it wrote ("F" for filemarks)
  objects after;       // the tape after it
};

objects as_strings(const std::vector<write_item>& items) {
  objects o;
  for (auto& i : items)
    o.push_back(i.type == record_type::filemark ? "F" : std::string(reinterpret_cast<const char*>(i.data), i.length));
  return o;
}

bool allowed_after_cut(const objects& got, const step& s) {
  if (got == s.before || got == s.after) return true;
  // The seal of a rewrite landed, its commit not yet: the tape ends where it writes.
  const objects cut(s.before.begin(), s.before.begin() + int64_t(std::min<size_t>(s.start, s.before.size())));
  return got == cut;
}

}  // namespace

TEST_CASE("crash at every byte of a write sequence leaves a readable cartridge", "[ssc][media][crash]") {
  tape_file f;
  const header blank = blank_header(1 << 20);
  std::vector<step> steps;
  auto c = load(f, blank);
  REQUIRE(c);
  steps.push_back({f.journal.size(), {}, 0, {}, {}});  // the blank image

  // Blocks of equal length, so a rewrite lands exactly on old records:
  // the case where stale records could pass for live ones.
  std::vector<std::string> blk;
  for (char ch = 'a'; ch <= 'h'; ++ch) blk.push_back(std::string(64, ch));
  std::string shorter(8, 'S');

  auto run = [&](uint64_t locate_to, std::vector<write_item> items) {
    objects before = contents(f, *c);
    c->locate(locate_to);
    const uint64_t start = c->position();
    write_items(f, *c, items);
    steps.push_back({f.journal.size(), before, start, as_strings(items), contents(f, *c)});
  };
  run(0, {block(blk[0]), block(blk[1]), block(blk[2])});
  run(3, {filemark()});
  run(4, {block(blk[3]), block(blk[4]), filemark(), block(blk[5])});
  run(1, {block(blk[6])});  // rewrite over b: c onwards must never come back
  run(2, {block(blk[7]), filemark()});
  // A reload in the middle (a new load count, so a new epoch), then a
  // rewrite at BOT with a shorter block and an append.
  {
    objects before = contents(f, *c);
    auto again = load(f, blank);
    REQUIRE(again);
    c = std::move(again);
    steps.push_back({f.journal.size(), before, before.size(), {}, before});
  }
  run(0, {block(shorter)});
  run(1, {block(blk[0]), block(blk[1])});
  REQUIRE(steps.back().after == objects{shorter, blk[0], blk[1]});

  // Replay every prefix of the write stream.
  const auto journal = f.journal;
  size_t cuts = 0;
  for (size_t w = 0; w < journal.size(); ++w) {
    // The step this write belongs to.
    size_t si = 0;
    while (steps[si].journal_end <= w) ++si;
    for (size_t k = 0; k <= journal[w].bytes.size(); ++k) {
      tape_file cut;
      for (size_t j = 0; j < w; ++j)
        tape_file::apply(cut.bytes, journal[j].offset, journal[j].bytes.data(), journal[j].bytes.size());
      tape_file::apply(cut.bytes, journal[w].offset, journal[w].bytes.data(), k);
      std::string why;
      auto loaded = load(cut, blank, true, &why);
      ++cuts;
      INFO("write " << w << " cut after " << k << " bytes: " << why);
      REQUIRE(loaded);
      const objects got = contents(cut, *loaded);
      INFO("step " << si << " got " << got.size() << " objects");
      for (auto& o : got) REQUIRE(o != "<bad>");
      if (w == 0) {  // formatting the new file was cut: it formats again or loads empty
        CHECK(got.empty());
        continue;
      }
      CHECK(allowed_after_cut(got, steps[si]));
      if (k == journal[w].bytes.size() && w + 1 == steps[si].journal_end) CHECK(got == steps[si].after);
    }
  }
  CHECK(cuts > 1000);
}

TEST_CASE("a torn header copy falls back to the other one", "[ssc][media][crash]") {
  tape_file f;
  auto c = load(f, blank_header());
  REQUIRE(c);
  std::string a = "payload";
  write_items(f, *c, {block(a), filemark()});
  auto again = load(f, blank_header());  // bumps the load count in copy B
  REQUIRE(again);
  CHECK(again->info().load_count == 2);
  f.bytes[header_copy_len + 40] ^= 0xFF;  // copy B torn
  auto third = load(f, blank_header());
  REQUIRE(third);
  CHECK(third->info().load_count == 2);  // copy A (1) + 1, written over the torn copy B
  CHECK(contents(f, *third) == objects{"payload", "F"});
}
