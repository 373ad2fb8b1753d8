// hostGroups, targetGroups and views: their schema and the checks the
// loader makes without the LUN map (conflicts: tests/unit/actors/model).
#include <catch2/catch.hpp>

#include "config_test_util.hpp"

using namespace stmfd::wire::cfg::test;

namespace {
// LUs d0 and d1, targets iqn.2026-11.t:a and iqn.2026-11.t:b, and `mapping`
// spliced in at the top level (starting with ", ").
std::string with_mapping(std::string_view mapping) {
  return std::string(R"({"logicalUnits": [
      {"name": "d0", "backing": "ram", "sizeBytes": 1048576},
      {"name": "d1", "backing": "ram", "sizeBytes": 1048576}],
    "targets": [{"name": "iqn.2026-11.t:a", "portals": ["127.0.0.1"]},
                {"name": "iqn.2026-11.t:b", "portals": ["127.0.0.1"]}])") +
         std::string(mapping) + "}";
}
std::string host_groups(std::string_view groups) {
  return with_mapping(std::string(R"(, "hostGroups": )") + std::string(groups));
}
std::string target_groups(std::string_view groups) {
  return with_mapping(std::string(R"(, "targetGroups": )") + std::string(groups));
}
std::string views(std::string_view list) {
  return with_mapping(std::string(R"(, "hostGroups": [{"name": "hg"}],
      "targetGroups": [{"name": "tg"}], "views": )") +
                      std::string(list));
}
}  // namespace

TEST_CASE("groups_and_views_are_decoded", "[config][views]") {
  auto r = load(with_mapping(R"(,
      "hostGroups": [{"name": "hg-a", "members": ["iqn.2026-11.org.example:host-a",
                                                  "wwn.2100001B32A0C0DE"]}],
      "targetGroups": [{"name": "tg", "members": ["iqn.2026-11.t:b"]}, {"name": "empty"}],
      "views": [{"logicalUnit": "d0", "hostGroup": "hg-a", "targetGroup": "tg", "lun": 7},
                {"logicalUnit": "d1", "lun": 16383}])"));
  REQUIRE(r.ok);
  auto c = r.root();
  REQUIRE(c.getHostGroups().size() == 1);
  CHECK(str(c.getHostGroups()[0].getName()) == "hg-a");
  REQUIRE(c.getHostGroups()[0].getMembers().size() == 2);
  CHECK(str(c.getHostGroups()[0].getMembers()[1]) == "wwn.2100001B32A0C0DE");
  REQUIRE(c.getTargetGroups().size() == 2);
  CHECK(c.getTargetGroups()[1].getMembers().size() == 0);
  REQUIRE(c.getViews().size() == 2);
  auto v0 = c.getViews()[0];
  CHECK(str(v0.getLogicalUnit()) == "d0");
  CHECK(str(v0.getHostGroup()) == "hg-a");
  CHECK(str(v0.getTargetGroup()) == "tg");
  CHECK(v0.getLun() == 7);
  auto v1 = c.getViews()[1];
  CHECK(str(v1.getHostGroup()) == "");    // all hosts
  CHECK(str(v1.getTargetGroup()) == "");  // all targets
  CHECK(v1.getLun() == 16383);
}

TEST_CASE("group_and_view_keys_follow_the_schema", "[config][views]") {
  CHECK(error_of(host_groups(R"([{"name": "hg", "member": []}])")) ==
        "t.json: hostGroups[0].member: unknown key (known keys: name, members)");
  CHECK(error_of(target_groups(R"([{"members": []}])")) == "t.json: targetGroups[0].name: required key is missing");
  CHECK(error_of(host_groups(R"([{"name": ""}])")) == "t.json: hostGroups[0].name: must not be empty");
  CHECK(error_of(host_groups("[{\"name\": \"" + std::string(65, 'g') + "\"}]")) ==
        "t.json: hostGroups[0].name: must be at most 64 bytes, got 65");
  CHECK(error_of(host_groups(R"([{"name": "hg", "members": "iqn.2026-11.h:1"}])")) ==
        "t.json: hostGroups[0].members: must be an array, got a string");
  CHECK(error_of(views(R"([{"logicalUnit": "d0", "lun": 0, "target": "iqn.2026-11.t:a"}])")) ==
        "t.json: views[0].target: unknown key (known keys: logicalUnit, hostGroup, "
        "targetGroup, lun)");
  CHECK(error_of(views(R"([{"logicalUnit": "d0"}])")) == "t.json: views[0].lun: required key is missing");
  CHECK(error_of(views(R"([{"lun": 0}])")) == "t.json: views[0].logicalUnit: required key is missing");
  CHECK(error_of(views(R"([{"logicalUnit": "d0", "lun": 16384}])")) ==
        "t.json: views[0].lun: must be between 0 and 16383, got 16384");
}

TEST_CASE("group_names_are_valid_and_unique_per_kind", "[config][views]") {
  CHECK(error_of(host_groups(R"([{"name": "hg 1"}])")) ==
        "t.json: hostGroups[0].name: character ' ' is not allowed (use letters, digits, '.', "
        "'-', '_' and ':')");
  CHECK(error_of(host_groups(R"([{"name": "hg"}, {"name": "hg"}])")) ==
        "t.json: hostGroups[1].name: \"hg\" is already the name of hostGroups[0]");
  CHECK(error_of(target_groups(R"([{"name": "tg"}, {"name": "tg"}])")) ==
        "t.json: targetGroups[1].name: \"tg\" is already the name of targetGroups[0]");
  // A host group and a target group may share a name: views say which kind.
  CHECK(error_of(with_mapping(R"(, "hostGroups": [{"name": "g"}],
      "targetGroups": [{"name": "g"}])")) == "OK");
}

TEST_CASE("host_group_members_are_port_names_in_one_group", "[config][views]") {
  CHECK(error_of(host_groups(R"([{"name": "hg", "members": ["host1"]}])")) ==
        "t.json: hostGroups[0].members[0]: a port name is an iSCSI name (\"iqn.\", \"eui.\" or "
        "\"naa.\", RFC 7143 4.2.7) or \"wwn.\" followed by 16 hex digits");
  CHECK(error_of(host_groups(R"([{"name": "hg", "members": ["wwn.2100001B32A0C0D"]}])")) ==
        "t.json: hostGroups[0].members[0]: a wwn name is \"wwn.\" followed by 16 hex digits");
  CHECK(error_of(host_groups(R"([{"name": "hg", "members": ["iqn.2026-11.h:1",
      "IQN.2026-11.H:1"]}])")) ==
        "t.json: hostGroups[0].members[1]: \"IQN.2026-11.H:1\" is already listed as "
        "hostGroups[0].members[0]");
  CHECK(error_of(host_groups(R"([{"name": "a", "members": ["wwn.2100001b32a0c0de"]},
      {"name": "b", "members": ["wwn.2100001B32A0C0DE"]}])")) ==
        "t.json: hostGroups[1].members[0]: \"wwn.2100001B32A0C0DE\" is already listed as "
        "hostGroups[0].members[0] (an initiator is a member of at most one host group)");
  // Upper case is the same name folded: accepted.
  CHECK(error_of(host_groups(R"([{"name": "hg", "members": ["iqn.1991-05.com.Microsoft:PC"]}])")) == "OK");
}

TEST_CASE("target_group_members_are_configured_targets_in_one_group", "[config][views]") {
  CHECK(error_of(target_groups(R"([{"name": "tg", "members": ["iqn.2026-11.t:c"]}])")) ==
        "t.json: targetGroups[0].members[0]: no target is named \"iqn.2026-11.t:c\" (members "
        "are names of targets in this file, or \"wwn.\" port names)");
  CHECK(error_of(target_groups(R"([{"name": "tg", "members": ["target-a"]}])")) ==
        "t.json: targetGroups[0].members[0]: a port name is an iSCSI name (\"iqn.\", \"eui.\" "
        "or \"naa.\", RFC 7143 4.2.7) or \"wwn.\" followed by 16 hex digits");
  CHECK(error_of(target_groups(R"([{"name": "a", "members": ["iqn.2026-11.t:a"]},
      {"name": "b", "members": ["iqn.2026-11.t:b", "iqn.2026-11.T:A"]}])")) ==
        "t.json: targetGroups[1].members[1]: \"iqn.2026-11.T:A\" is already listed as "
        "targetGroups[0].members[0] (a target is a member of at most one target group)");
  // Matched without case; FC port names are accepted for ports to come.
  CHECK(error_of(target_groups(R"([{"name": "tg", "members": ["IQN.2026-11.T:B",
      "wwn.500143802426BAF4"]}])")) == "OK");
}

TEST_CASE("views_name_existing_lus_and_groups", "[config][views]") {
  CHECK(error_of(views(R"([{"logicalUnit": "d9", "lun": 0}])")) ==
        "t.json: views[0].logicalUnit: no logical unit is named \"d9\"");
  CHECK(error_of(views(R"([{"logicalUnit": "d0", "lun": 0},
      {"logicalUnit": "d1", "hostGroup": "hg2", "lun": 1}])")) ==
        "t.json: views[1].hostGroup: no host group is named \"hg2\"");
  CHECK(error_of(views(R"([{"logicalUnit": "d0", "targetGroup": "hg", "lun": 0}])")) ==
        "t.json: views[0].targetGroup: no target group is named \"hg\"");
  CHECK(error_of(views(R"([{"logicalUnit": "d0", "hostGroup": "hg", "targetGroup": "tg",
      "lun": 0}])")) == "OK");
}
