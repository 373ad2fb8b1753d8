// A WRITE or WRITE FILEMARKS whose file write fails part way (EIO, a short
// write, ENOSPC), at end of data and in the middle of the tape: what the
// initiator is told, where the drive stands, and that the tape the drive
// shows afterwards is the one a reload of the cartridge file finds. The
// records the failed write was to replace never come back, none of its own
// objects are on the tape, and what was acknowledged before it stays.
#include <catch2/catch.hpp>

#include "tests/unit/plugins/lu/ssc/drive_fixture.hpp"

using namespace stmfd;
using namespace stmfd::ssc::test;

namespace {

using objects = std::vector<std::string>;

// The tape read from BOT: payloads, "F" for filemarks, up to BLANK CHECK.
objects read_all(drive_fixture& f) {
  objects out;
  REQUIRE(f.rewind().good());
  for (int guard = 0; guard < 100; ++guard) {
    auto r = f.read6(1 << 16, false, true);
    if (r.good()) {
      out.push_back(r.text());
    } else if (r.filemark()) {
      out.push_back("F");
    } else {
      REQUIRE(r.key() == 0x8);  // BLANK CHECK: end of data
      return out;
    }
  }
  FAIL("no end of data");
  return out;
}

// The same cartridge file loaded by a fresh drive (a restart, another drive).
objects after_reload(const drive_fixture& f) {
  drive_fixture g(1 << 20, false);
  g.file = f.file;
  REQUIRE(g.load());
  return read_all(g);
}

const objects tape = {"a", "bb", "F", "ccc", "dddd"};

void write_tape(drive_fixture& f) {
  for (auto& o : tape) REQUIRE((o == "F" ? f.filemarks(1) : f.write6(o)).good());
}

struct victim {
  const char* name;
  uint32_t count;  // the CDB's TRANSFER LENGTH or filemark count
  result (*run)(drive_fixture&);
  objects objs;
};
const victim victims[] = {
    {"WRITE(6)", 2, [](drive_fixture& f) { return f.write6("zz"); }, {"zz"}},
    {"WRITE FILEMARKS(6) 3", 3, [](drive_fixture& f) { return f.filemarks(3); }, {"F", "F", "F"}},
};

// Bytes a failed step may have moved: none, a part of a tag, a whole tag,
// more (a short write); always fewer than the step's length.
std::vector<size_t> landed_cases(uint32_t step_length) {
  std::vector<size_t> out;
  for (size_t n : {size_t(0), size_t(1), size_t(7), size_t(39), size_t(40), size_t(41), size_t(80)})
    if (n < step_length) out.push_back(n);
  if (step_length > 1) out.push_back(step_length - 1);
  return out;
}

// The lengths of the steps a victim's plan has at `position` (from a dry
// run on a copy of the drive's file).
std::vector<uint32_t> step_lengths(const drive_fixture& f, uint64_t position, const victim& v) {
  drive_fixture g(1 << 20, false);
  g.file = f.file;
  REQUIRE(g.load());
  REQUIRE(g.run({0x2B, 0, 0, 0, 0, 0, uint8_t(position), 0, 0, 0}).good());  // LOCATE(10)
  const size_t before = g.file.journal.size();
  REQUIRE(v.run(g).good());
  std::vector<uint32_t> out;
  for (size_t k = before; k < g.file.journal.size(); ++k) out.push_back(uint32_t(g.file.journal[k].bytes.size()));
  return out;
}

void check_failed_write(uint64_t position, const objects& expect_if_first_fails, const objects& expect_otherwise) {
  for (const victim& v : victims) {
    drive_fixture probe;
    write_tape(probe);
    const auto lengths = step_lengths(probe, position, v);
    REQUIRE(!lengths.empty());
    for (uint8_t step = 0; step < lengths.size(); ++step) {
      for (size_t landed : landed_cases(lengths[step])) {
        for (int error : {EIO, ENOSPC}) {
          INFO(v.name << " at " << position << ": step " << int(step) << " of " << lengths.size() << " fails with "
                      << error << " after " << landed << " bytes");
          drive_fixture f;
          write_tape(f);
          REQUIRE(f.run({0x2B, 0, 0, 0, 0, 0, uint8_t(position), 0, 0, 0}).good());
          f.fault = step_fault{step, error, landed};
          const result r = v.run(f);
          REQUIRE(r.status == scsi::status::check_condition);
          if (error == EIO) {
            CHECK(r.key() == 0x3);  // MEDIUM ERROR, WRITE ERROR
            CHECK(r.asc() == 0x0C);
            CHECK(r.ascq() == 0x00);
          } else {
            CHECK(r.key() == 0xD);  // VOLUME OVERFLOW
            CHECK(r.eom());
          }
          CHECK(r.valid());
          CHECK(r.information() == int32_t(v.count));  // nothing of it was written
          CHECK(f.position() == position);             // the object it would have written
          // The drive shows what a reload of the file finds, and that is
          // the tape before the write or the tape cut at the position.
          const objects shown = read_all(f), reloaded = after_reload(f);
          CHECK(shown == reloaded);
          CHECK(shown == (step == 0 ? expect_if_first_fails : expect_otherwise));
          // The drive goes on from there: a write at the position is the
          // tape's end, in the drive and in the file.
          REQUIRE(f.run({0x2B, 0, 0, 0, 0, 0, uint8_t(position), 0, 0, 0}).good());
          REQUIRE(f.write6("next").good());
          objects then(tape.begin(), tape.begin() + int64_t(position));
          then.push_back("next");
          CHECK(read_all(f) == then);
          CHECK(after_reload(f) == then);
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("a failed rewrite in the middle of the tape never brings the replaced records back", "[ssc][rw][fault]") {
  // At object 1 ("bb"): the seal failing leaves the tape as it was; any
  // later step failing leaves end of data at object 1, in the drive and in
  // the file, whatever part of the write landed.
  check_failed_write(1, tape, {"a"});
  // At BOT: the same with nothing acknowledged left before it.
  check_failed_write(0, tape, {});
}

TEST_CASE("a failed append at end of data leaves the tape as it was", "[ssc][rw][fault]") {
  check_failed_write(tape.size(), tape, tape);
}

TEST_CASE("a write is sealed, written, then committed by one byte", "[ssc][rw][fault]") {
  for (uint64_t at : {uint64_t(1), uint64_t(tape.size())}) {  // a rewrite, an append
    INFO("at " << at);
    drive_fixture f;
    write_tape(f);
    REQUIRE(f.run({0x2B, 0, 0, 0, 0, 0, uint8_t(at), 0, 0, 0}).good());
    const size_t before = f.file.journal.size();
    REQUIRE(f.write6("zz").good());
    const bool rewrite = at < tape.size();
    REQUIRE(f.file.journal.size() == before + (rewrite ? 3 : 2));
    const uint64_t offset = f.file.journal[before].offset;
    if (rewrite) CHECK(f.file.journal[before].bytes == std::vector<uint8_t>{0});  // the seal
    const auto& image = f.file.journal[f.file.journal.size() - 2];
    const auto& commit = f.file.journal.back();
    CHECK(image.offset == offset);
    CHECK(image.bytes.size() == 2 * ssc::media::record_overhead + 2);  // "zz" and end of data
    CHECK(image.bytes[0] == 0);                                        // sealed
    CHECK(commit.offset == offset);
    CHECK(commit.bytes == std::vector<uint8_t>{'T'});
    objects want(tape.begin(), tape.begin() + int64_t(at));
    want.push_back("zz");
    CHECK(read_all(f) == want);
    CHECK(after_reload(f) == want);
  }
}

TEST_CASE("a failed ERASE is WRITE ERROR and leaves what a reload finds", "[ssc][rw][fault]") {
  for (uint8_t step : {uint8_t(0), uint8_t(1), uint8_t(2)}) {  // seal, image, commit
    INFO("step " << int(step) << " fails");
    drive_fixture f;
    write_tape(f);
    REQUIRE(f.run({0x2B, 0, 0, 0, 0, 0, 1, 0, 0, 0}).good());  // LOCATE 1
    f.fault = step_fault{step, EIO, 0};
    const result r = f.run({0x19, 0, 0, 0, 0, 0});  // ERASE(6)
    CHECK(r.key() == 0x3);
    CHECK(r.asc() == 0x0C);
    CHECK_FALSE(r.valid());  // no count to report a residue of
    CHECK(f.position() == 1);
    const objects shown = read_all(f);
    CHECK(shown == after_reload(f));
    CHECK(shown == (step == 0 ? tape : objects{"a"}));
  }
}
