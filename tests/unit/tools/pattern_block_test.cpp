#include "tests/tools/pattern_block.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace stmfd::tools;
using kind = block_content::kind;

TEST_CASE("pattern_block_round_trip names the write", "[tools]") {
  std::vector<std::uint8_t> b(512);
  fill_block(b, 7, 1234, 42);
  block_content c = decode_block(b, 7, 1234);
  CHECK(c.what == kind::ours);
  CHECK(c.write_id == 42);
}

TEST_CASE("pattern_block_4k_blocks round trip", "[tools]") {
  std::vector<std::uint8_t> b(4096);
  fill_block(b, 3, 9, 1);
  CHECK(decode_block(b, 3, 9).what == kind::ours);
}

TEST_CASE("pattern_block_blank_and_foreign", "[tools]") {
  std::vector<std::uint8_t> b(512, 0);
  CHECK(decode_block(b, 7, 0).what == kind::blank);
  fill_block(b, 8, 0, 1);  // another run's seed
  CHECK(decode_block(b, 7, 0).what == kind::foreign);
  std::vector<std::uint8_t> junk(512, 0xab);
  CHECK(decode_block(junk, 7, 0).what == kind::foreign);
}

TEST_CASE("pattern_block_misplaced_or_torn is damaged", "[tools]") {
  std::vector<std::uint8_t> b(512);
  fill_block(b, 7, 100, 5);
  block_content moved = decode_block(b, 7, 101);  // landed one block off
  CHECK(moved.what == kind::damaged);
  CHECK(moved.write_id == 5);
  std::vector<std::uint8_t> other(512);
  fill_block(other, 7, 100, 6);
  std::copy(other.begin() + 256, other.end(), b.begin() + 256);  // second half from another write
  CHECK(decode_block(b, 7, 100).what == kind::damaged);
  fill_block(b, 7, 100, 5);
  b[511] ^= 1;  // one bit in the last byte
  CHECK(decode_block(b, 7, 100).what == kind::damaged);
}
