#include <catch2/catch.hpp>

#include "tests/unit/plugins/lu/ssc/media/tape_file.hpp"

using namespace stmfd::ssc::media;
using namespace stmfd::ssc::media::test;

namespace {
// BOT: a b F c d F e EOD (objects 0..7).
struct fixture {
  tape_file f;
  cartridge c;
  std::string a = "aaaa", b = "bb", cc = "ccccc", d = "d", e = "eeeeeee";
  fixture() {
    auto l = load(f, blank_header());
    REQUIRE(l);
    c = std::move(*l);
    write_items(f, c, {block(a), block(b), filemark(), block(cc), block(d), filemark(), block(e)});
  }
};
}  // namespace

TEST_CASE("a blank cartridge loads empty, writable, at BOT and EOD", "[ssc][media]") {
  tape_file f;
  auto c = load(f, blank_header(1 << 20, "BLANK1"));
  REQUIRE(c);
  CHECK(c->writable());
  CHECK(c->at_bot());
  CHECK(c->at_eod());
  CHECK(c->info().barcode == "BLANK1");
  CHECK(c->info().capacity == (1u << 20));
  CHECK(f.bytes.size() == records_offset + record_overhead);
  auto again = load(f, blank_header());
  REQUIRE(again);
  CHECK(again->object_count() == 0);
  CHECK(again->info().load_count == 2);
}

TEST_CASE("written records read back after a reload", "[ssc][media]") {
  fixture x;
  CHECK(x.c.object_count() == 7);
  CHECK(x.c.at_eod());
  CHECK(x.c.filemarks_before() == 2);
  auto c = load(x.f, blank_header());
  REQUIRE(c);
  CHECK(contents(x.f, *c) == std::vector<std::string>{"aaaa", "bb", "F", "ccccc", "d", "F", "eeeeeee"});
}

TEST_CASE("space blocks stops at filemarks, BOT and EOD with the count done", "[ssc][media]") {
  fixture x;
  x.c.rewind();
  auto m = x.c.space_blocks(5);  // a b, then the filemark
  CHECK(m.done == 2);
  CHECK(m.cond == stop::filemark);
  CHECK(x.c.position() == 3);  // after the filemark
  m = x.c.space_blocks(-1);    // backward: the filemark stops it at once, before it
  CHECK(m.done == 0);
  CHECK(m.cond == stop::filemark);
  CHECK(x.c.position() == 2);
  m = x.c.space_blocks(-5);
  CHECK(m.done == 2);
  CHECK(m.cond == stop::bot);
  CHECK(x.c.at_bot());
  x.c.locate(6);
  m = x.c.space_blocks(3);
  CHECK(m.done == 1);
  CHECK(m.cond == stop::eod);
  CHECK(x.c.at_eod());
}

TEST_CASE("space filemarks ends after (forward) or before (backward) the filemark", "[ssc][media]") {
  fixture x;
  x.c.rewind();
  auto m = x.c.space_filemarks(2);
  CHECK(m.done == 2);
  CHECK(m.cond == stop::none);
  CHECK(x.c.position() == 6);
  m = x.c.space_filemarks(-1);
  CHECK(m.done == 1);
  CHECK(x.c.position() == 5);
  m = x.c.space_filemarks(3);
  CHECK(m.done == 1);
  CHECK(m.cond == stop::eod);
  m = x.c.space_filemarks(-3);
  CHECK(m.done == 2);
  CHECK(m.cond == stop::bot);
  CHECK(x.c.at_bot());
}

TEST_CASE("locate beyond end of data stops at end of data", "[ssc][media]") {
  fixture x;
  CHECK(x.c.locate(3).cond == stop::none);
  CHECK(x.c.position() == 3);
  CHECK(x.c.filemarks_before() == 1);
  auto m = x.c.locate(100);
  CHECK(m.cond == stop::eod);
  CHECK(x.c.position() == 7);
}

TEST_CASE("plan_read stops before filemarks and EOD and honours the byte budget", "[ssc][media]") {
  fixture x;
  x.c.rewind();
  auto s = x.c.plan_read(10, 1 << 20);
  CHECK(s.records == 2);
  CHECK(s.cond == stop::filemark);
  CHECK(s.length == 2 * record_overhead + 6);
  s = x.c.plan_read(1, 1 << 20);
  CHECK(s.records == 1);
  CHECK(s.cond == stop::none);
  s = x.c.plan_read(10, 5);  // the first record always fits, the second would pass 5 bytes
  CHECK(s.records == 1);
  x.c.locate(2);
  s = x.c.plan_read(10, 100);
  CHECK(s.records == 0);
  CHECK(s.cond == stop::filemark);
  x.c.space_to_eod();
  CHECK(x.c.plan_read(1, 100).cond == stop::eod);
}

TEST_CASE("a damaged payload is a read failure, not data", "[ssc][media]") {
  fixture x;
  x.c.rewind();
  auto s = x.c.plan_read(1, 100);
  auto b = x.f.read(s.offset, s.length);
  b[tag_len + 1] ^= 0xFF;
  const uint8_t* p = nullptr;
  CHECK_FALSE(x.c.check_read(s, b.data(), &p));
}

TEST_CASE("writing in the middle replaces everything after it", "[ssc][media]") {
  fixture x;
  x.c.locate(3);
  std::string z = "zz";
  write_items(x.f, x.c, {block(z)});
  CHECK(x.c.object_count() == 4);
  CHECK(x.c.at_eod());
  auto c = load(x.f, blank_header());
  REQUIRE(c);
  CHECK(contents(x.f, *c) == std::vector<std::string>{"aaaa", "bb", "F", "zz"});
}

TEST_CASE("erase at BOT leaves an empty tape", "[ssc][media]") {
  fixture x;
  x.c.rewind();
  auto p = x.c.plan_erase();
  put_plan(x.f, p);
  x.c.commit_write(p, nullptr);
  auto c = load(x.f, blank_header());
  REQUIRE(c);
  CHECK(c->object_count() == 0);
}

TEST_CASE("early warning and end of medium", "[ssc][media]") {
  tape_file f;
  const uint64_t cap = records_offset + 16 * (record_overhead + 1000);
  auto c = load(f, blank_header(cap));
  REQUIRE(c);
  std::string blk(1000, 'x');
  std::vector<write_item> items(20, block(blk));
  auto p = write_items(f, *c, items);
  CHECK(p.cond == stop::end_of_medium);
  CHECK(p.objects == 15);  // a 16th would leave no room for the end-of-data record
  CHECK(p.early_warning);
  CHECK(c->in_early_warning());
  CHECK(c->object_count() == 15);
  CHECK(f.bytes.size() <= cap);
}

TEST_CASE("a write-protected cartridge loads read-only and is not written", "[ssc][media]") {
  tape_file f;
  header h = blank_header();
  h.write_protect = true;
  h.load_count = 1;
  auto img = blank_image(h);
  f.write(0, img.data(), img.size());
  const size_t writes = f.journal.size();
  auto c = load(f, blank_header());
  REQUIRE(c);
  CHECK_FALSE(c->writable());
  CHECK(f.journal.size() == writes);  // no load count bump
}

TEST_CASE("files that are not cartridges fail to load with a reason", "[ssc][media]") {
  tape_file f;
  std::string why;
  std::vector<uint8_t> junk(4096, 0x5A);
  f.write(0, junk.data(), junk.size());
  CHECK_FALSE(load(f, blank_header(), true, &why));
  CHECK(why.find("no valid header") != std::string::npos);
  tape_file empty;
  CHECK_FALSE(load(empty, blank_header(), false, &why));
  CHECK(why.find("empty") != std::string::npos);
}
