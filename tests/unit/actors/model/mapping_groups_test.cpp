// Host groups, target groups and LUs of the LUN mapping: names, members and
// the references views make to them.
#include <catch2/catch.hpp>

#include <algorithm>

#include "mapping_test_util.hpp"

using namespace stmfd;
using namespace stmfd::test;

TEST_CASE("group_names_must_be_valid", "[mapping][groups]") {
  mapping m;
  CHECK(err(m.create_host_group("hg 1")) ==
        "host group name 'hg 1' is not valid: character ' ' is not allowed (use letters, "
        "digits, '.', '-', '_' and ':')");
  CHECK(err(m.create_target_group(std::string(65, 't'))) ==
        "target group name '" + std::string(65, 't') + "' is not valid: must be at most 64 bytes, got 65");
  CHECK(err(m.create_host_group("")) == "host group name '' is not valid: must not be empty");
  CHECK(m.host_groups().empty());
  CHECK(m.target_groups().empty());
  CHECK(err(m.create_host_group("hg-a_1.x:y")) == "OK");
  CHECK(err(m.create_target_group(std::string(64, 't'))) == "OK");
  CHECK(err(m.replace({{"bad/name", {}}}, {}, {}, {})) ==
        "host group name 'bad/name' is not valid: character '/' is not allowed (use letters, "
        "digits, '.', '-', '_' and ':')");
}

TEST_CASE("group_names_are_unique_within_their_kind", "[mapping][groups]") {
  mapping m;
  REQUIRE(err(m.create_host_group("g")) == "OK");
  CHECK(err(m.create_host_group("g")) == "host group 'g' already exists");
  CHECK(err(m.create_target_group("g")) == "OK");
  CHECK(err(m.create_target_group("g")) == "target group 'g' already exists");
  CHECK(m.host_groups().size() == 1);
  CHECK(m.target_groups().size() == 1);
  // Group names are case-sensitive, as LU names are.
  CHECK(err(m.create_host_group("G")) == "OK");
  CHECK(err(m.replace({}, {{"tg", {}}, {"tg", {}}}, {}, {})) == "target group 'tg' is defined twice");
}

TEST_CASE("group_members_must_be_port_names", "[mapping][groups]") {
  mapping m = sample();
  CHECK(err(m.add_host_group_member("hg1", "host1")) ==
        "host group 'hg1': 'host1' is not a valid initiator name: a port name is an iSCSI name "
        "(\"iqn.\", \"eui.\" or \"naa.\", RFC 7143 4.2.7) or \"wwn.\" followed by 16 hex digits");
  CHECK(err(m.add_target_group_member("tg1", "wwn.500143802426BAF")) ==
        "target group 'tg1': 'wwn.500143802426BAF' is not a valid target name: a wwn name is "
        "\"wwn.\" followed by 16 hex digits");
  CHECK(m.host_groups()[0].members == std::vector<std::string>{host_a});
  CHECK(m.target_groups()[0].members == std::vector<std::string>{target_1});
  CHECK(err(m.add_host_group_member("hg1", "wwn.2100001b32a0c0de")) == "OK");
  CHECK(err(m.add_host_group_member("hg1", "eui.02004567A425678D")) == "OK");
  CHECK(err(m.add_host_group_member("hg9", host_b)) == "there is no host group 'hg9'");
}

TEST_CASE("a_port_is_a_member_of_at_most_one_group_of_each_kind", "[mapping][groups]") {
  mapping m = sample();
  CHECK(err(m.add_host_group_member("hg2", host_a)) ==
        "initiator '" + host_a +
            "' is already a member of host group 'hg1'; each initiator may be a member of at "
            "most one host group");
  // Case does not make another name (RFC 3722 folds it).
  CHECK(err(m.add_host_group_member("hg1", "IQN.2026-11.ORG.EXAMPLE:HOST-A")) ==
        "initiator 'IQN.2026-11.ORG.EXAMPLE:HOST-A' is already a member of host group 'hg1'");
  CHECK(err(m.add_target_group_member("tg2", "iqn.2026-11.org.stmfd:T1")) ==
        "target 'iqn.2026-11.org.stmfd:T1' is already a member of target group 'tg1'; each "
        "target may be a member of at most one target group");
  CHECK(m.host_groups()[1].members == std::vector<std::string>{host_b});
  CHECK(m.target_groups()[1].members == std::vector<std::string>{target_2});
  // The same rules hold for a whole model.
  CHECK(err(m.replace({{"a", {"wwn.2100001B32A0C0DE"}}, {"b", {"wwn.2100001b32a0c0de"}}}, {}, {}, {})) ==
        "initiator 'wwn.2100001b32a0c0de' is a member of host group 'a' and of host group 'b'; "
        "each initiator may be a member of at most one host group");
  CHECK(err(m.replace({}, {{"t", {target_1, target_1}}}, {}, {})) ==
        "target group 't' lists target '" + target_1 + "' twice");
}

TEST_CASE("members_are_removed_by_any_case_of_their_name", "[mapping][groups]") {
  mapping m = sample();
  CHECK(err(m.remove_host_group_member("hg1", host_b)) ==
        "initiator '" + host_b + "' is not a member of host group 'hg1'");
  CHECK(err(m.remove_target_group_member("tg9", target_1)) == "there is no target group 'tg9'");
  CHECK(err(m.remove_host_group_member("hg1", "Iqn.2026-11.Org.Example:Host-A")) == "OK");
  CHECK(m.host_groups()[0].members.empty());
  CHECK(err(m.remove_target_group_member("tg2", target_2)) == "OK");
  CHECK(m.target_groups()[1].members.empty());
}

TEST_CASE("a_group_a_view_uses_cannot_be_deleted", "[mapping][groups]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(hg_view("d0", "hg1", 3))) == "OK");
  REQUIRE(err(m.add_view(tg_view("d1", "tg2", 4))) == "OK");
  CHECK(err(m.delete_host_group("hg1")) ==
        "host group 'hg1' is used by the view of LU 'd0' at LUN 3 (host group 'hg1', all "
        "targets); remove that view first");
  CHECK(err(m.delete_target_group("tg2")) ==
        "target group 'tg2' is used by the view of LU 'd1' at LUN 4 (all hosts, target group "
        "'tg2'); remove that view first");
  CHECK(m.host_groups().size() == 2);
  CHECK(m.target_groups().size() == 2);
  CHECK(err(m.delete_host_group("hg9")) == "there is no host group 'hg9'");
  CHECK(err(m.delete_host_group("hg2")) == "OK");
  CHECK(err(m.remove_view("d0", "hg1", "", "", 3)) == "OK");
  CHECK(err(m.delete_host_group("hg1")) == "OK");
  CHECK(m.host_groups().empty());
}

TEST_CASE("lus_are_added_once_and_removing_one_removes_its_views", "[mapping][lus]") {
  mapping m = sample();
  CHECK(err(m.add_lu("d0")) == "LU 'd0' already exists");
  CHECK(err(m.add_lu("my disk")) ==
        "LU name 'my disk' is not valid: character ' ' is not allowed (use letters, digits, "
        "'.', '-', '_' and ':')");
  CHECK(m.lus().size() == 4);
  CHECK(err(m.add_lu("d4")) == "OK");
  REQUIRE(err(m.add_view(hg_view("d4", "hg1", 0))) == "OK");
  REQUIRE(err(m.add_view(hg_view("d4", "hg2", 1))) == "OK");
  REQUIRE(err(m.add_view(all_view("d1", 2))) == "OK");
  CHECK(err(m.remove_lu("d9")) == "there is no LU 'd9'");
  CHECK(err(m.remove_lu("d4")) == "OK");
  REQUIRE(m.views().size() == 1);
  CHECK(m.views()[0].lu == "d1");
  CHECK(std::find(m.lus().begin(), m.lus().end(), "d4") == m.lus().end());
  CHECK(err(m.replace({}, {}, {}, {"a", "b", "a"})) == "LU 'a' is listed twice");
}
