// Config.targetPortGroups and Target.targetPortGroup: defaults that keep
// configs from before ALUA valid, and each refusal naming its field.
#include <catch2/catch.hpp>

#include "tests/unit/wire/config/config_test_util.hpp"

using namespace stmfd::wire::cfg;
using namespace stmfd::wire::cfg::test;

namespace {
std::string with(std::string_view extra) {
  return std::string(R"({"targets": [
      {"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1:3260"]},
      {"name": "iqn.2026-11.t:b", "portals": ["127.0.0.1:3261"], "tpgt": 2, "targetPortGroup": 7}],
    "logicalUnits": [{"name": "lu0", "backing": "ram", "sizeBytes": 1048576}])") +
         std::string(extra) + "}";
}
}  // namespace

TEST_CASE("target port group defaults to the tpgt", "[config][alua]") {
  auto r = load(with(""));
  REQUIRE(r.ok);
  auto t = r.message->getRoot<Config>().getTargets();
  CHECK(t[0].getTargetPortGroup() == 1);
  CHECK(t[1].getTargetPortGroup() == 7);
  CHECK(r.message->getRoot<Config>().getTargetPortGroups().size() == 0);
}

TEST_CASE("target port groups load with states", "[config][alua]") {
  auto r = load(with(R"(, "targetPortGroups": [
      {"id": 1, "name": "siteA"},
      {"id": 7, "state": "standby", "luStates": [{"logicalUnit": "lu0", "state": "active-nonoptimized"}]}])"));
  REQUIRE(r.ok);
  auto g = r.message->getRoot<Config>().getTargetPortGroups();
  CHECK(str(g[0].getState()) == "active-optimized");
  CHECK(str(g[1].getState()) == "standby");
  CHECK(str(g[1].getLuStates()[0].getState()) == "active-nonoptimized");
}

TEST_CASE("bad target port groups are refused with the field at fault", "[config][alua]") {
  CHECK(error_of(with(R"(, "targetPortGroups": [{"id": 1}])"))
            .find("targets[1].targetPortGroup: there is no target port group 7") != std::string::npos);
  CHECK(error_of(with(R"(, "targetPortGroups": [{"id": 1}, {"id": 7}, {"id": 1}])"))
            .find("targetPortGroups[2].id: target port group 1 is listed twice") != std::string::npos);
  CHECK(error_of(with(R"(, "targetPortGroups": [{"id": 1, "name": "a"}, {"id": 7, "name": "a"}])"))
            .find("targetPortGroups[1].name") != std::string::npos);
  CHECK(error_of(with(R"(, "targetPortGroups": [{"id": 1}, {"id": 7, "state": "sleeping"}])")) != "OK");
  CHECK(error_of(with(R"(, "targetPortGroups": [{"id": 0}, {"id": 1}, {"id": 7}])")) != "OK");
  CHECK(error_of(with(R"(, "targetPortGroups": [{"id": 1}, {"id": 7,
                          "luStates": [{"logicalUnit": "nope", "state": "standby"}]}])"))
            .find("targetPortGroups[1].luStates[0].logicalUnit: there is no logical unit \"nope\"") !=
        std::string::npos);
  CHECK(error_of(with(R"(, "targetPortGroups": [{"id": 1}, {"id": 7, "luStates": [
                          {"logicalUnit": "lu0", "state": "standby"}, {"logicalUnit": "lu0", "state": "standby"}]}])"))
            .find("listed twice in this group") != std::string::npos);
}
