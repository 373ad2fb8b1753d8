// Config.metrics: off by default, a loopback address with a port, anything
// else only with allowRemote.
#include <catch2/catch.hpp>

#include "tests/unit/wire/config/config_test_util.hpp"

using namespace stmfd::wire::cfg;
using namespace stmfd::wire::cfg::test;

namespace {
std::string metrics(std::string_view body) { return std::string(R"({"metrics": )") + std::string(body) + "}"; }
}  // namespace

TEST_CASE("metrics are off by default", "[config][metrics]") {
  auto r = load("{}");
  REQUIRE(r.ok);
  CHECK(r.message->getRoot<Config>().getMetrics().getListen().size() == 0);
  CHECK_FALSE(r.message->getRoot<Config>().getMetrics().getAllowRemote());
}

TEST_CASE("metrics on loopback load in canonical form", "[config][metrics]") {
  auto r = load(metrics(R"({"listen": "127.0.0.1:9433"})"));
  REQUIRE(r.ok);
  CHECK(str(r.message->getRoot<Config>().getMetrics().getListen()) == "127.0.0.1:9433");
  auto v6 = load(metrics(R"({"listen": "[::1]:9433"})"));
  REQUIRE(v6.ok);
  CHECK(str(v6.message->getRoot<Config>().getMetrics().getListen()) == "[::1]:9433");
}

TEST_CASE("metrics refuse a missing port and non-loopback addresses", "[config][metrics]") {
  CHECK(error_of(metrics(R"({"listen": "127.0.0.1"})")).find("metrics.listen: \"127.0.0.1\" needs a port") !=
        std::string::npos);
  CHECK(error_of(metrics(R"({"listen": "[::1]"})")).find("needs a port") != std::string::npos);
  CHECK(error_of(metrics(R"({"listen": "0.0.0.0:9433"})")).find("is not a loopback address") != std::string::npos);
  CHECK(error_of(metrics(R"({"listen": "10.1.2.3:9433"})")).find("metrics.allowRemote") != std::string::npos);
  CHECK(error_of(metrics(R"({"listen": "localhost:9433"})")).find("metrics.listen") != std::string::npos);
  CHECK(error_of(metrics(R"({"listen": "127.0.0.1:9433", "port": 1})")) != "OK");  // unknown key
  auto r = load(metrics(R"({"listen": "0.0.0.0:9433", "allowRemote": true})"));
  CHECK(r.ok);
}
