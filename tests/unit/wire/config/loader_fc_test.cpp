// Config.fcPorts: WWN forms, canonical rewriting, interface names, drivers
// and duplicate WWPNs, each refused with a sentence naming the field.
#include <catch2/catch.hpp>

#include "tests/unit/wire/config/config_test_util.hpp"
#include "wire/config/validate_fc.hpp"

using namespace stmfd::wire::cfg;
using namespace stmfd::wire::cfg::test;

namespace {
std::string fc(std::string_view ports) { return std::string(R"({"fcPorts": [)") + std::string(ports) + "]}"; }
}  // namespace

TEST_CASE("wwn forms parse to the same value", "[config][fc]") {
  CHECK(parse_wwn("500a0b0c0d0e0f01") == 0x500A0B0C0D0E0F01);
  CHECK(parse_wwn("WWN.500A0B0C0D0E0F01") == 0x500A0B0C0D0E0F01);
  CHECK(parse_wwn("50:0a:0b:0c:0d:0e:0f:01") == 0x500A0B0C0D0E0F01);
  CHECK_FALSE(parse_wwn("500a0b0c0d0e0f0"));
  CHECK_FALSE(parse_wwn("50-0a-0b-0c-0d-0e-0f-01"));
  CHECK_FALSE(parse_wwn("500a0b0c0d0e0fzz"));
  CHECK_FALSE(parse_wwn("50:0a:0b:0c:0d:0e:0f:0"));
}

TEST_CASE("fc ports load with canonical names and defaults", "[config][fc]") {
  auto r = load(fc(R"({"wwpn": "50:0A:0B:0C:0D:0E:0F:01", "wwnn": "500a0b0c0d0e0f00",
                       "interface": "fc-lo0", "driver": "loopback"})"));
  REQUIRE(r.ok);
  auto p = r.message->getRoot<Config>().getFcPorts()[0];
  CHECK(str(p.getWwpn()) == "wwn.500a0b0c0d0e0f01");
  CHECK(str(p.getWwnn()) == "wwn.500a0b0c0d0e0f00");
  CHECK(p.getTargetPortGroup() == 1);
}

TEST_CASE("bad fc ports are refused with the field at fault", "[config][fc]") {
  const char* ok_names = R"("wwnn": "500a0b0c0d0e0f00", "interface": "fc0", "driver": "loopback")";
  CHECK(error_of(fc(std::string(R"({"wwpn": "12345", )") + ok_names + "}"))
            .find("fcPorts[0].wwpn: \"12345\" is not a WWN") != std::string::npos);
  CHECK(error_of(fc(std::string(R"({"wwpn": "0000000000000000", )") + ok_names + "}"))
            .find("fcPorts[0].wwpn: must not be zero") != std::string::npos);
  CHECK(error_of(fc(R"({"wwpn": "500a0b0c0d0e0f01", "wwnn": "500a0b0c0d0e0f00", "interface": "a/b",
                       "driver": "loopback"})"))
            .find("fcPorts[0].interface") != std::string::npos);
  // The default driver is "fcoe" (VN2VN on the named Ethernet interface).
  CHECK(error_of(fc(R"({"wwpn": "500a0b0c0d0e0f01", "wwnn": "500a0b0c0d0e0f00", "interface": "eth0"})")) == "OK");
  CHECK(error_of(fc(R"({"wwpn": "500a0b0c0d0e0f01", "wwnn": "500a0b0c0d0e0f00", "interface": "fc0",
                       "driver": "token-ring"})")) != "OK");
  std::string one = std::string(R"({"wwpn": "500a0b0c0d0e0f01", )") + ok_names + "}";
  std::string same = std::string(R"({"wwpn": "WWN.500A0B0C0D0E0F01", )") + ok_names + "}";
  CHECK(error_of(fc(one + ", " + same))
            .find("fcPorts[1].wwpn: \"wwn.500a0b0c0d0e0f01\" is already the WWPN of fcPorts[0]") != std::string::npos);
  CHECK(error_of(fc(R"({"wwnn": "500a0b0c0d0e0f00", "interface": "fc0"})")) != "OK");  // wwpn is required
}
