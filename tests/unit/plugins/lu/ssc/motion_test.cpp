#include <catch2/catch.hpp>

#include "tests/unit/plugins/lu/ssc/drive_fixture.hpp"

using namespace stmfd;
using namespace stmfd::ssc::test;

namespace {
// BOT: a b F c d F e EOD
void populate(drive_fixture& f) {
  for (auto s : {"a", "b"}) REQUIRE(f.write6(s).good());
  REQUIRE(f.filemarks(1).good());
  for (auto s : {"c", "d"}) REQUIRE(f.write6(s).good());
  REQUIRE(f.filemarks(1).good());
  REQUIRE(f.write6("e").good());
  REQUIRE(f.rewind().good());
}
}  // namespace

TEST_CASE("SPACE blocks stops at a filemark with FILEMARK and the residue", "[ssc][motion]") {
  drive_fixture f;
  populate(f);
  auto r = f.space6(0, 5);
  CHECK(r.filemark());
  CHECK(r.key() == 0x0);
  CHECK(r.ascq() == 0x01);
  CHECK(r.information() == 3);
  CHECK(f.position() == 3);
  r = f.space6(0, -3);  // backward: the filemark stops it at once, on its BOT side
  CHECK(r.filemark());
  CHECK(r.information() == 3);
  CHECK(f.position() == 2);
  r = f.space6(0, -5);
  CHECK(r.eom());  // beginning of partition
  CHECK(r.ascq() == 0x04);
  CHECK(r.information() == 3);
  CHECK(f.position() == 0);
}

TEST_CASE("SPACE filemarks and end of data", "[ssc][motion]") {
  drive_fixture f;
  populate(f);
  CHECK(f.space6(1, 2).good());
  CHECK(f.position() == 6);
  CHECK(f.read6(1).text() == "e");
  auto r = f.space6(1, 1);
  CHECK(r.key() == 0x8);
  CHECK(r.ascq() == 0x05);
  CHECK(r.information() == 1);
  CHECK(f.space6(1, -1).good());
  CHECK(f.position() == 5);
  CHECK(f.space6(3, 0).good());  // to end of data
  CHECK(f.position() == 7);
  CHECK(f.space6(4, 1).key() == 0x5);  // setmarks: not supported
  CHECK(f.space6(0, 0).good());
}

TEST_CASE("SPACE(16) with a 64-bit count", "[ssc][motion]") {
  drive_fixture f;
  populate(f);
  CHECK(f.run({0x91, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0}).good());
  CHECK(f.position() == 6);
  auto r = f.run({0x91, 0x00, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 0, 0});  // -2
  CHECK(r.filemark());
  CHECK(r.information() == 2);
  CHECK(f.position() == 5);
  CHECK(f.run({0x91, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0}).key() == 0x5);  // parameter data
}

TEST_CASE("LOCATE(10/16) and READ POSITION forms agree", "[ssc][motion]") {
  drive_fixture f;
  populate(f);
  CHECK(f.run({0x2B, 0, 0, 0, 0, 0, 4, 0, 0, 0}).good());
  auto s = f.run({0x34, 0x00, 0, 0, 0, 0, 0, 0, 0, 0});
  REQUIRE(s.data.size() == 20);
  CHECK(s.data[0] == 0x00);  // not at BOP
  CHECK(scsi::get_be32(s.data.data() + 4) == 4);
  CHECK(scsi::get_be32(s.data.data() + 8) == 4);
  auto l = f.run({0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0});
  REQUIRE(l.data.size() == 32);
  CHECK(scsi::get_be64(l.data.data() + 8) == 4);
  CHECK(scsi::get_be64(l.data.data() + 16) == 1);  // one filemark before
  auto e = f.run({0x34, 0x08, 0, 0, 0, 0, 0, 0, 32, 0});
  REQUIRE(e.data.size() == 32);
  CHECK(scsi::get_be16(e.data.data() + 2) == 0x1C);
  CHECK(scsi::get_be64(e.data.data() + 8) == 4);
  CHECK(f.read6(1).text() == "d");
  // LOCATE(16) to a logical file, then to end of data, then beyond.
  CHECK(f.run({0x92, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0}).good());
  CHECK(f.position() == 6);
  CHECK(f.run({0x92, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).good());
  CHECK(f.position() == 7);
  auto r = f.run({0x2B, 0, 0, 0, 0, 0, 99, 0, 0, 0});
  CHECK(r.key() == 0x8);
  CHECK(f.position() == 7);
  CHECK(f.run({0x2B, 0x02, 0, 0, 0, 0, 0, 0, 1, 0}).key() == 0x5);  // partition 1 does not exist
  f.rewind();
  CHECK(f.run({0x34, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}).data[0] == 0x80);  // BOP
}

TEST_CASE("no cartridge: NOT READY 3A/00; LOAD brings it back at BOT", "[ssc][motion]") {
  drive_fixture f;
  f.write6("data");
  auto r = f.run({0x1B, 0, 0, 0, 0, 0});  // unload
  CHECK(r.good());
  CHECK(f.d.cartridge() == nullptr);
  r = f.run({0x00, 0, 0, 0, 0, 0});
  CHECK(r.key() == 0x2);
  CHECK(r.asc() == 0x3A);
  CHECK(f.read6(4).asc() == 0x3A);
  CHECK(f.run({0x34, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}).asc() == 0x3A);
  auto sense = f.run({0x03, 0, 0, 0, 18, 0});  // REQUEST SENSE reports the condition
  CHECK(sense.good());
  CHECK((sense.data[2] & 0x0F) == 0x2);
  CHECK(sense.data[12] == 0x3A);
  CHECK(f.run({0x12, 0, 0, 0, 96, 0}).good());  // INQUIRY needs no medium
  CHECK(f.run({0x1B, 0, 0, 0, 1, 0}).good());   // load
  CHECK(f.run({0x00, 0, 0, 0, 0, 0}).good());
  CHECK(f.position() == 0);
  CHECK(f.read6(4).text() == "data");
}

TEST_CASE("PREVENT MEDIUM REMOVAL keeps the cartridge in", "[ssc][motion]") {
  drive_fixture f;
  CHECK(f.run({0x1E, 0, 0, 0, 1, 0}).good());
  auto r = f.run({0x1B, 0, 0, 0, 0, 0});
  CHECK(r.key() == 0x5);
  CHECK(r.asc() == 0x53);
  CHECK(r.ascq() == 0x02);
  CHECK(f.d.cartridge() != nullptr);
  CHECK(f.run({0x1E, 0, 0, 0, 0, 0}).good());
  CHECK(f.run({0x1B, 0, 0, 0, 0, 0}).good());
  CHECK(f.run({0x1B, 0, 0, 0, 0x05, 0}).key() == 0x5);  // LOAD with EOT
}

TEST_CASE("a file that is no cartridge fails LOAD with MEDIUM FORMAT CORRUPTED", "[ssc][motion]") {
  drive_fixture f(1 << 20, false);
  std::vector<uint8_t> junk(4096, 0x11);
  f.file.write(0, junk.data(), junk.size());
  auto r = f.run({0x1B, 0, 0, 0, 1, 0});
  CHECK(r.key() == 0x3);
  CHECK(r.asc() == 0x31);
  CHECK(f.run({0x00, 0, 0, 0, 0, 0}).asc() == 0x3A);
}
