// The `limits` keys of wire/config.capnp: defaults, ranges, 64-bit byte
// counts, and the cross-field checks.
#include <catch2/catch.hpp>

#include "config_test_util.hpp"

using namespace stmfd::wire::cfg;
using namespace stmfd::wire::cfg::test;

TEST_CASE("absent_limits_give_the_documented_defaults", "[config][limits]") {
  auto r = load("{}");
  REQUIRE(r.ok);
  auto l = r.root().getLimits();
  CHECK(l.getBufferMemory() == 256ull << 20);
  CHECK(l.getSessionBufferMemory() == 64ull << 20);  // filled in: a quarter of bufferMemory
  CHECK(l.getMaxConnections() == 256);
  CHECK(l.getMaxLoggingIn() == 32);
  CHECK(l.getMaxSendBacklog() == 4u << 20);
}

TEST_CASE("limits_are_read_as_given", "[config][limits]") {
  auto r = load(R"({"limits": {"bufferMemory": "68719476736", "sessionBufferMemory": 8388608,
      "maxConnections": 40, "maxLoggingIn": 8, "maxSendBacklog": 1048576}})");
  REQUIRE(r.ok);
  auto l = r.root().getLimits();
  CHECK(l.getBufferMemory() == 64ull << 30);  // a decimal string for a 64-bit count
  CHECK(l.getSessionBufferMemory() == 8u << 20);
  CHECK(l.getMaxConnections() == 40);
  CHECK(l.getMaxLoggingIn() == 8);
  CHECK(l.getMaxSendBacklog() == 1u << 20);
}

TEST_CASE("limits_outside_their_ranges_are_refused", "[config][limits]") {
  struct out_of_range {
    const char *key, *json_value, *shown, *min, *max;
  };
  for (auto c : {out_of_range{"bufferMemory", "33554431", "33554431", "33554432", "1099511627776"},
                 out_of_range{"bufferMemory", "\"1099511627777\"", "1099511627777", "33554432", "1099511627776"},
                 out_of_range{"maxConnections", "0", "0", "1", "65536"},
                 out_of_range{"maxLoggingIn", "65537", "65537", "1", "65536"},
                 out_of_range{"maxSendBacklog", "65535", "65535", "65536", "1073741824"}}) {
    std::string json = std::string(R"({"limits": {")") + c.key + "\": " + c.json_value + "}}";
    CHECK(error_of(json) ==
          std::string("t.json: limits.") + c.key + ": must be between " + c.min + " and " + c.max + ", got " + c.shown);
  }
  CHECK(error_of(R"({"limits": {"sessionBufferMemory": 1048575}})") ==
        "t.json: limits.sessionBufferMemory: must be at least 1048576 (or 0 for a quarter of bufferMemory), "
        "got 1048575");
  CHECK(error_of(R"({"limits": {"maxConnections": 10, "maxLogins": 2}})").find("limits.maxLogins: unknown key") !=
        std::string::npos);
}

TEST_CASE("session_buffers_default_to_a_quarter_of_the_cap_and_never_exceed_it", "[config][limits]") {
  auto r = load(R"({"limits": {"bufferMemory": 67108864}})");
  REQUIRE(r.ok);
  CHECK(r.root().getLimits().getSessionBufferMemory() == 16u << 20);
  CHECK(error_of(R"({"limits": {"bufferMemory": 33554432, "sessionBufferMemory": 33554433}})") ==
        "t.json: limits.sessionBufferMemory: must not be above limits.bufferMemory (33554432)");
  CHECK(error_of(R"({"limits": {"bufferMemory": 33554432, "sessionBufferMemory": 33554432}})") == "OK");
}

TEST_CASE("connections_logging_in_are_lowered_to_the_connection_limit", "[config][limits]") {
  auto r = load(R"({"limits": {"maxConnections": 8}})");
  REQUIRE(r.ok);
  CHECK(r.root().getLimits().getMaxLoggingIn() == 8);
  r = load(R"({"limits": {"maxConnections": 16, "maxLoggingIn": 4}})");
  REQUIRE(r.ok);
  CHECK(r.root().getLimits().getMaxLoggingIn() == 4);
}
