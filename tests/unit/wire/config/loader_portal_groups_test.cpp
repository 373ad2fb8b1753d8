// Config.portalGroups, Config.initiators, Config.iscsiDefaults (itadm's
// state in the config file): the fill-in of targets and each refusal.
#include <catch2/catch.hpp>

#include "tests/unit/wire/config/config_test_util.hpp"

using namespace stmfd::wire::cfg;
using namespace stmfd::wire::cfg::test;

namespace {
std::string with(std::string_view target_extra, std::string_view top_extra = {}) {
  return std::string(R"({"portalGroups": [{"name": "a", "tag": 5, "portals": ["127.0.0.1:3300", "127.0.0.2"]},
                      {"name": "b", "tag": 6, "portals": ["127.0.0.1:3301"]}],
    "targets": [{"name": "iqn.2026-11.t:a")") +
         std::string(target_extra) + "}]" + std::string(top_extra) + "}";
}
}  // namespace

TEST_CASE("target_takes_its_portal_groups_portals_and_first_tag", "[config][itadm]") {
  auto r = load(with(R"(, "portalGroups": ["b", "a"])"));
  REQUIRE(r.ok);
  auto t = r.root().getTargets()[0];
  CHECK(t.getTpgt() == 6);
  REQUIRE(t.getPortals().size() == 3);
  CHECK(str(t.getPortals()[0]) == "127.0.0.1:3301");
  CHECK(str(t.getPortals()[2]) == "127.0.0.2:3260");  // canonical form from the group
}

TEST_CASE("portal_group_refusals", "[config][itadm]") {
  CHECK(error_of(with(R"(, "portalGroups": ["zz"])")) ==
        "t.json: targets[0].portalGroups[0]: there is no portal group \"zz\"");
  CHECK(error_of(with(R"(, "portalGroups": ["a", "a"])")) ==
        "t.json: targets[0].portalGroups[1]: \"a\" is listed twice");
  CHECK(error_of(with(R"(, "portalGroups": ["a"], "portals": ["127.0.0.1:1"])")) ==
        "t.json: targets[0].portalGroups: a target has portals or portalGroups, not both");
  CHECK(error_of(with("")) == "t.json: targets[0]: needs portals or portalGroups");
  CHECK(error_of(R"({"portalGroups": [{"name": "a", "tag": 1, "portals": ["127.0.0.1"]},
                                      {"name": "b", "tag": 1, "portals": ["127.0.0.2"]}]})") ==
        "t.json: portalGroups[1].tag: 1 is already the tag of portalGroups[0]");
  CHECK(error_of(R"({"portalGroups": [{"name": "a", "tag": 1, "portals": ["127.0.0.1:3260"]},
                                      {"name": "b", "tag": 2, "portals": ["127.0.0.1"]}]})") ==
        "t.json: portalGroups[1].portals[0]: \"127.0.0.1:3260\" is already a portal of portalGroups[0]");
  CHECK(error_of(R"({"portalGroups": [{"name": "a b", "tag": 1, "portals": ["127.0.0.1"]}]})")
            .find("portalGroups[0].name: ") != std::string::npos);
  CHECK(error_of(R"({"portalGroups": [{"name": "a", "tag": 1, "portals": ["nowhere"]}]})")
            .find("portalGroups[0].portals[0]: ") != std::string::npos);
}

TEST_CASE("initiator_records_and_defaults", "[config][itadm]") {
  CHECK(error_of(R"({"initiators": [{"name": "iqn.2026-11.i:x", "chapSecret": "123456789012"}]})") == "OK");
  CHECK(error_of(R"({"initiators": [{"name": "iqn.2026-11.i:x", "chapSecret": "short"}]})") ==
        "t.json: initiators[0].chapSecret: must be at least 12 bytes (RFC 7143 9.2.1: shorter secrets need IPsec)");
  CHECK(error_of(R"({"initiators": [{"name": "bogus"}]})").find("initiators[0].name: ") != std::string::npos);
  CHECK(error_of(R"({"initiators": [{"name": "eui.0123456789abcdef"}, {"name": "eui.0123456789ABCDEF"}]})") ==
        "t.json: initiators[1].name: \"eui.0123456789ABCDEF\" is already the name of initiators[0]");
  // "default" takes iscsiDefaults.auth.
  auto r =
      load(with(R"(, "portalGroups": ["a"], "auth": {"method": "default"})", R"(, "iscsiDefaults": {"auth": "chap"})"));
  REQUIRE(r.ok);
  CHECK(str(r.root().getTargets()[0].getAuth().getMethod()) == "chap");
  auto n = load(with(R"(, "portalGroups": ["a"], "auth": {"method": "default"})"));
  REQUIRE(n.ok);
  CHECK(str(n.root().getTargets()[0].getAuth().getMethod()) == "none");
}
