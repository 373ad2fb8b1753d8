#include "plugins/port/iscsi/login/values.hpp"

#include <catch2/catch.hpp>

#include <cstring>

#include "plugins/port/iscsi/login/chap.hpp"

using namespace stmfd::iscsi::login;
using bytes = std::vector<uint8_t>;

TEST_CASE("values_numbers_decimal_and_hex", "[values]") {
  CHECK(parse_number("0") == 0u);
  CHECK(parse_number("262144") == 262144u);
  CHECK(parse_number("0x40000") == 262144u);
  CHECK(parse_number("0X1f") == 31u);
  CHECK(parse_number("18446744073709551615") == UINT64_MAX);
  CHECK_FALSE(parse_number("18446744073709551616"));  // overflow
  CHECK_FALSE(parse_number(""));
  CHECK_FALSE(parse_number("0x"));
  CHECK_FALSE(parse_number("-1"));
  CHECK_FALSE(parse_number("12a"));
  CHECK_FALSE(parse_number("Irrelevant"));
}

TEST_CASE("values_binary_hex_and_base64", "[values]") {
  CHECK(parse_binary("0x00ff10") == bytes{0x00, 0xff, 0x10});
  CHECK(parse_binary("0XABC") == bytes{0x0a, 0xbc});  // odd digit count: implied leading zero
  CHECK(parse_binary("0bQUJD") == bytes{'A', 'B', 'C'});
  CHECK(parse_binary("0BQUI=") == bytes{'A', 'B'});
  CHECK(parse_binary("0bQQ==") == bytes{'A'});
  CHECK_FALSE(parse_binary("0x"));
  CHECK_FALSE(parse_binary("0xzz"));
  CHECK_FALSE(parse_binary("0bQQ="));   // bad padding
  CHECK_FALSE(parse_binary("0bQR=="));  // non-zero leftover bits
  CHECK_FALSE(parse_binary("1234"));    // binary values need a prefix
}

TEST_CASE("values_hex_constant_and_lists", "[values]") {
  const uint8_t b[] = {0x00, 0x9a, 0xff};
  CHECK(to_hex_constant(b, 3) == "0x009aff");
  CHECK(split_list("CRC32C,None") == std::vector<std::string_view>{"CRC32C", "None"});
  CHECK(split_list("None") == std::vector<std::string_view>{"None"});
  CHECK(split_list("a,,b") == std::vector<std::string_view>{"a", "", "b"});
  CHECK(parse_boolean("Yes") == true);
  CHECK(parse_boolean("No") == false);
  CHECK_FALSE(parse_boolean("yes"));
}

TEST_CASE("chap_md5_response_matches_rfc1994_construction", "[chap]") {
  // MD5(0x2a || "verysecret12" || 00 01 .. 0f), computed independently.
  uint8_t challenge[16];
  for (int i = 0; i < 16; ++i) challenge[i] = static_cast<uint8_t>(i);
  md5_digest r = chap_md5_response(0x2a, "verysecret12", challenge, 16);
  CHECK(to_hex_constant(r.data(), r.size()) == "0xb5e5a5d3d38e9640bc77e68c57fce2ba");
}

TEST_CASE("random_bytes_fills_buffer", "[chap]") {
  uint8_t a[32] = {}, b[32] = {};
  REQUIRE(random_bytes(a, sizeof a));
  REQUIRE(random_bytes(b, sizeof b));
  CHECK(std::memcmp(a, b, sizeof a) != 0);  // 2^-256 chance of a false failure
}
