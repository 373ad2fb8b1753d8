#include "wire/iscsi/text_keys.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace stmfd::iscsi;

namespace {

text_parse_result parse(const std::string& s) {
  return parse_text(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// A string literal with its embedded NULs, without the terminating one.
template <size_t N>
std::string lit(const char (&s)[N]) {
  return std::string(s, N - 1);
}

}  // namespace

TEST_CASE("text_parse_pairs_in_order", "[text]") {
  auto r = parse(lit("InitiatorName=iqn.2024-01.org.x:a\0SessionType=Normal\0"));
  REQUIRE(r.ok);
  REQUIRE(r.pairs.size() == 2);
  CHECK(r.pairs[0].key == "InitiatorName");
  CHECK(r.pairs[0].value == "iqn.2024-01.org.x:a");
  CHECK(r.pairs[1].key == "SessionType");
  CHECK(r.pairs[1].value == "Normal");
}

TEST_CASE("text_parse_empty_input_and_empty_value", "[text]") {
  auto r = parse("");
  REQUIRE(r.ok);
  CHECK(r.pairs.empty());
  r = parse(lit("SendTargets=\0"));
  REQUIRE(r.ok);
  REQUIRE(r.pairs.size() == 1);
  CHECK(r.pairs[0].key == "SendTargets");
  CHECK(r.pairs[0].value.empty());
}

TEST_CASE("text_parse_value_may_contain_equals", "[text]") {
  auto r = parse(lit("CHAP_C=0bQUJD==\0"));
  REQUIRE(r.ok);
  CHECK(r.pairs[0].value == "0bQUJD==");
}

TEST_CASE("text_parse_tolerates_missing_last_nul_and_padding", "[text]") {
  auto r = parse("HeaderDigest=None");
  REQUIRE(r.ok);
  REQUIRE(r.pairs.size() == 1);
  CHECK(r.pairs[0].value == "None");
  r = parse(lit("A=1\0B=2\0\0\0"));
  REQUIRE(r.ok);
  CHECK(r.pairs.size() == 2);
}

TEST_CASE("text_parse_rejects_malformed", "[text]") {
  CHECK_FALSE(parse(lit("A=1\0\0B=2\0")).ok);    // empty pair inside
  CHECK_FALSE(parse(lit("NoEquals\0")).ok);      // no '='
  CHECK_FALSE(parse(lit("=value\0")).ok);        // empty key
  CHECK_FALSE(parse(lit("Bad Key=1\0")).ok);     // space in key
  CHECK_FALSE(parse(lit("Key=a\x01z\0")).ok);    // control character
  CHECK_FALSE(parse(lit("Key=a\x7f\0")).ok);     // DEL
  CHECK_FALSE(parse(lit("Key=\xc0\x80\0")).ok);  // overlong UTF-8
  CHECK_FALSE(parse(lit("Key=\x80\0")).ok);      // stray continuation byte
  CHECK_FALSE(parse(lit("Key=\xe2\x82\0")).ok);  // truncated sequence
  auto r = parse(lit("Key=1\0Bad"));
  CHECK_FALSE(r.ok);
  CHECK_FALSE(r.error.empty());
}

TEST_CASE("text_parse_accepts_utf8_values", "[text]") {
  auto r = parse(lit("TargetAlias=D\xc3\xa9j\xc3\xa0 vu \xe2\x82\xac\0"));
  REQUIRE(r.ok);
  CHECK(r.pairs[0].value == "D\xc3\xa9j\xc3\xa0 vu \xe2\x82\xac");
}

TEST_CASE("text_parse_key_and_value_limits", "[text]") {
  std::string k63(63, 'K'), k64(64, 'K');
  CHECK(parse(k63 + "=1").ok);
  CHECK_FALSE(parse(k64 + "=1").ok);
  std::string v8192(8192, 'v'), v8193(8193, 'v');
  CHECK(parse("X-v=" + v8192).ok);
  CHECK_FALSE(parse("X-v=" + v8193).ok);
  CHECK(parse("X#NodeArchitecture=x").ok);  // '#' of registered extension keys
}

TEST_CASE("text_append_exact_bytes", "[text]") {
  std::vector<uint8_t> out;
  append_text(out, "MaxBurstLength", "65536");
  append_text(out, "SendTargets", "");
  std::string expect("MaxBurstLength=65536\0SendTargets=\0", 34);
  CHECK(std::string(out.begin(), out.end()) == expect);
  auto r = parse_text(out.data(), out.size());
  REQUIRE(r.ok);
  CHECK(r.pairs.size() == 2);
}
