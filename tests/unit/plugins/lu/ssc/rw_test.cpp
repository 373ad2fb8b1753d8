#include <catch2/catch.hpp>

#include "tests/unit/plugins/lu/ssc/drive_fixture.hpp"

using namespace stmfd;
using namespace stmfd::ssc::test;
namespace media = stmfd::ssc::media;

TEST_CASE("variable blocks and filemarks read back in order", "[ssc][rw]") {
  drive_fixture f;
  REQUIRE(f.write6("hello").good());
  REQUIRE(f.write6("world!").good());
  REQUIRE(f.filemarks(1).good());
  REQUIRE(f.write6("second file").good());
  REQUIRE(f.rewind().good());
  auto r = f.read6(5);
  CHECK(r.good());
  CHECK(r.text() == "hello");
  CHECK(f.read6(6).text() == "world!");
  r = f.read6(100, false, true);  // SILI: no ILI for the filemark either; it reports FILEMARK
  CHECK(r.status == scsi::status::check_condition);
  CHECK(r.key() == 0x0);
  CHECK(r.asc() == 0x00);
  CHECK(r.ascq() == 0x01);
  CHECK(r.filemark());
  CHECK(r.valid());
  CHECK(r.information() == 100);
  CHECK(f.position() == 3);  // after the filemark
  CHECK(f.read6(64, false, true).text() == "second file");
  r = f.read6(10);
  CHECK(r.key() == 0x8);  // BLANK CHECK at end of data
  CHECK(r.ascq() == 0x05);
  CHECK(r.information() == 10);
}

TEST_CASE("variable read of the wrong length reports ILI with requested minus actual", "[ssc][rw]") {
  drive_fixture f;
  REQUIRE(f.write6("0123456789").good());
  f.rewind();
  auto r = f.read6(4);  // overlength block: 4 bytes move, INFORMATION = 4 - 10
  CHECK(r.status == scsi::status::check_condition);
  CHECK(r.ili());
  CHECK(r.key() == 0x0);
  CHECK(r.information() == -6);
  CHECK(r.text() == "0123");
  CHECK(f.position() == 1);  // the block was passed
  f.rewind();
  r = f.read6(16);  // underlength: 10 bytes, INFORMATION 6
  CHECK(r.ili());
  CHECK(r.information() == 6);
  CHECK(r.text() == "0123456789");
  CHECK(r.transfer_length == 16);
  f.rewind();
  r = f.read6(16, false, true);  // SILI suppresses it
  CHECK(r.good());
  CHECK(r.text() == "0123456789");
  f.rewind();
  CHECK(f.read6(4, false, true).good());  // overlength in variable mode: SILI suppresses it too
}

TEST_CASE("fixed-block mode: blocks, residues and the wrong-length block", "[ssc][rw]") {
  drive_fixture f;
  auto r = f.write6(std::string(8, 'a'), true, 1);
  CHECK(r.key() == 0x5);  // FIXED in variable-block mode
  REQUIRE(f.set_block_length(4).good());
  REQUIRE(f.write6("aaaabbbbcccc", true, 3).good());
  REQUIRE(f.filemarks(1).good());
  REQUIRE(f.run({0x0A, 0, 0, 0, 6, 0}, {'x', 'x', 'x', 'x', 'x', 'x'}).good());  // a variable 6-byte block
  f.rewind();
  r = f.read6(2, true);
  CHECK(r.good());
  CHECK(r.text() == "aaaabbbb");
  r = f.read6(5, true);  // one block, then the filemark
  CHECK(r.filemark());
  CHECK(r.information() == 4);
  CHECK(r.text() == "cccc");
  CHECK(f.position() == 4);
  r = f.read6(3, true);  // the 6-byte block is the wrong length
  CHECK(r.ili());
  CHECK(r.information() == 3);
  CHECK(r.data.empty());
  CHECK(f.position() == 5);
  CHECK(f.read6(1, true, true).key() == 0x5);  // SILI with FIXED
}

TEST_CASE("setmarks are refused and WRITE FILEMARKS 0 synchronizes", "[ssc][rw]") {
  drive_fixture f;
  auto r = f.run({0x10, 0x02, 0, 0, 1, 0});
  CHECK(r.key() == 0x5);
  CHECK(r.asc() == 0x24);
  CHECK(r.sense[15] == (0x80 | 0x40 | 0x08 | 1));  // SKSV, C/D, BPV, bit 1
  CHECK(r.sense[17] == 1);
  CHECK(f.filemarks(0).good());
  CHECK(f.position() == 0);
}

TEST_CASE("what was written before WRITE FILEMARKS reads back after a reload", "[ssc][rw]") {
  drive_fixture f;
  REQUIRE(f.write6("kept").good());
  REQUIRE(f.filemarks(1).good());
  drive_fixture g(1 << 20, false);
  g.file = f.file;
  REQUIRE(g.load());
  CHECK(g.read6(4).text() == "kept");
  CHECK(g.read6(4).filemark());
}

TEST_CASE("early warning then volume overflow near the end of the medium", "[ssc][rw]") {
  // 16 records of 1000 bytes fit; the early-warning zone is the last 1/16.
  drive_fixture f(media::records_offset + 16 * (media::record_overhead + 1000));
  std::string blk(1000, 'z');
  int warned = 0, written = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = f.write6(blk);
    if (r.good()) {
      ++written;
      continue;
    }
    if (r.key() == 0x0 && r.eom()) {  // early warning: written
      ++written;
      ++warned;
      CHECK(r.asc() == 0x00);
      CHECK(r.ascq() == 0x02);
      CHECK(r.information() == 0);
      continue;
    }
    CHECK(r.key() == 0xD);  // VOLUME OVERFLOW: not written
    CHECK(r.eom());
    CHECK(r.information() == 1000);
    break;
  }
  CHECK(written == 15);
  CHECK(warned >= 1);
  f.rewind();
  CHECK(f.run({0x11, 0x03, 0, 0, 0, 0}).good());  // space to end of data
  CHECK(f.position() == 15);
}

TEST_CASE("a write-protected cartridge refuses writes with DATA PROTECT", "[ssc][rw]") {
  drive_fixture f(1 << 20, false);
  media::header h = media::test::blank_header();
  h.write_protect = true;
  h.load_count = 1;
  auto img = media::blank_image(h);
  f.file.write(0, img.data(), img.size());
  REQUIRE(f.load());
  auto r = f.write6("x");
  CHECK(r.key() == 0x7);
  CHECK(r.asc() == 0x27);
  CHECK(f.filemarks(1).key() == 0x7);
  CHECK(f.run({0x19, 0, 0, 0, 0, 0}).key() == 0x7);  // ERASE
  CHECK(f.read6(10).key() == 0x8);                   // reading is fine: blank
}

TEST_CASE("ERASE at the position makes it end of data", "[ssc][rw]") {
  drive_fixture f;
  f.write6("a");
  f.write6("b");
  f.write6("c");
  f.rewind();
  f.read6(1);
  REQUIRE(f.run({0x19, 0, 0, 0, 0, 0}).good());
  f.rewind();
  CHECK(f.read6(1).text() == "a");
  CHECK(f.read6(1).key() == 0x8);
}

TEST_CASE("a damaged block reads as MEDIUM ERROR", "[ssc][rw]") {
  drive_fixture f;
  f.write6("precious");
  f.file.bytes[media::records_offset + media::tag_len + 2] ^= 0xFF;
  f.rewind();
  auto r = f.read6(8);
  CHECK(r.key() == 0x3);
  CHECK(r.asc() == 0x11);
}
