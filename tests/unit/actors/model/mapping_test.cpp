// Views of the LUN mapping: their own rules, the conflict rule, automatic
// LUNs, and what luns_for shows an I_T nexus.
#include <catch2/catch.hpp>

#include "mapping_test_util.hpp"

using namespace stmfd;
using namespace stmfd::test;

TEST_CASE("a_view_names_an_existing_lu_and_existing_groups", "[mapping][views]") {
  mapping m = sample();
  CHECK(err(m.add_view(all_view("d9", 0))) == "view of LU 'd9' at LUN 0 (all hosts, all targets): there is no LU 'd9'");
  CHECK(err(m.add_view(hg_view("d0", "hg9", 0))) ==
        "view of LU 'd0' at LUN 0 (host group 'hg9', all targets): there is no host group "
        "'hg9'");
  CHECK(err(m.add_view(tg_view("d0", "hg1", 0))) ==
        "view of LU 'd0' at LUN 0 (all hosts, target group 'hg1'): there is no target group "
        "'hg1'");
  CHECK(m.views().empty());
}

TEST_CASE("a_view_lun_is_at_most_16383", "[mapping][views]") {
  mapping m = sample();
  CHECK(err(m.add_view(all_view("d0", 16384))) ==
        "view of LU 'd0' at LUN 16384 (all hosts, all targets): LUN must be 0..16383 (SAM-5 "
        "4.7 flat space addressing)");
  CHECK(m.views().empty());
  CHECK(err(m.add_view(all_view("d0", 16383))) == "OK");
}

TEST_CASE("a_view_goes_through_a_target_group_or_one_valid_target", "[mapping][views]") {
  mapping m = sample();
  CHECK(err(m.add_view(view_entry{"d0", "", "tg1", target_1, 0})) ==
        "view of LU 'd0' at LUN 0 (all hosts, target group 'tg1' and target '" + target_1 +
            "'): a view goes through a target group or one target, not both");
  CHECK(err(m.add_view(target_view("d0", "target-1", 0))) ==
        "view of LU 'd0' at LUN 0 (all hosts, target 'target-1'): 'target-1' is not a valid "
        "target name: a port name is an iSCSI name (\"iqn.\", \"eui.\" or \"naa.\", RFC 7143 "
        "4.2.7) or \"wwn.\" followed by 16 hex digits");
  CHECK(m.views().empty());
  CHECK(err(m.add_view(target_view("d0", target_1, 0))) == "OK");
}

TEST_CASE("overlapping_views_cannot_share_a_lun", "[mapping][views][conflict]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(hg_view("d0", "hg1", 3))) == "OK");
  CHECK(err(m.add_view(all_view("d1", 3))) ==
        "view of LU 'd1' at LUN 3 (all hosts, all targets) conflicts with the view of LU 'd0' "
        "at LUN 3 (host group 'hg1', all targets): an initiator both views cover would see two "
        "LUs at LUN 3 through the same target");
  CHECK(err(m.add_view(hg_view("d1", "hg1", 3))).find("conflicts with the view of LU 'd0'") != std::string::npos);
  CHECK(err(m.add_view(tg_view("d1", "tg1", 3))).find("conflicts") != std::string::npos);
  CHECK(err(m.add_view(target_view("d1", target_2, 3))).find("conflicts") != std::string::npos);
  CHECK(m.views().size() == 1);
  // Different host groups have disjoint members: never the same initiator.
  CHECK(err(m.add_view(hg_view("d1", "hg2", 3))) == "OK");
}

TEST_CASE("target_sets_overlap_by_group_and_membership", "[mapping][views][conflict]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(tg_view("d0", "tg1", 5))) == "OK");
  CHECK(err(m.add_view(tg_view("d1", "tg2", 5))) == "OK");                           // other group
  CHECK(err(m.add_view(target_view("d2", "iqn.2026-11.org.stmfd:t3", 5))) == "OK");  // no group
  CHECK(err(m.add_view(target_view("d3", "IQN.2026-11.ORG.STMFD:T1", 5))) ==
        "view of LU 'd3' at LUN 5 (all hosts, target 'IQN.2026-11.ORG.STMFD:T1') conflicts "
        "with the view of LU 'd0' at LUN 5 (all hosts, target group 'tg1'): an initiator both "
        "views cover would see two LUs at LUN 5 through the same target");
  // A target's own views overlap those of the same target, in any case.
  CHECK(err(m.add_view(target_view("d3", "iqn.2026-11.org.stmfd:T3", 5))) ==
        "view of LU 'd3' at LUN 5 (all hosts, target 'iqn.2026-11.org.stmfd:T3') conflicts "
        "with the view of LU 'd2' at LUN 5 (all hosts, target 'iqn.2026-11.org.stmfd:t3'): an "
        "initiator both views cover would see two LUs at LUN 5 through the same target");
  CHECK(m.views().size() == 3);
}

TEST_CASE("overlapping_views_cannot_show_one_lu_twice", "[mapping][views][conflict]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(all_view("d0", 0))) == "OK");
  CHECK(err(m.add_view(hg_view("d0", "hg1", 1))) ==
        "view of LU 'd0' at LUN 1 (host group 'hg1', all targets) conflicts with the view of LU "
        "'d0' at LUN 0 (all hosts, all targets): an initiator both views cover would see LU "
        "'d0' twice through the same target");
  CHECK(err(m.add_view(all_view("d0", 0))).find("would see LU 'd0' twice") != std::string::npos);
  CHECK(m.views().size() == 1);
  // Through disjoint sets one LU may appear at different LUNs (paths to it).
  mapping n = sample();
  CHECK(err(n.add_view(hg_view("d0", "hg1", 0))) == "OK");
  CHECK(err(n.add_view(hg_view("d0", "hg2", 1))) == "OK");
  CHECK(err(n.add_view(target_view("d1", target_1, 2))) == "OK");
  CHECK(err(n.add_view(target_view("d1", target_2, 7))) == "OK");
}

TEST_CASE("adding_a_target_to_a_group_cannot_create_a_conflict", "[mapping][views][conflict]") {
  mapping m = sample();
  REQUIRE(err(m.create_target_group("tg3")) == "OK");
  REQUIRE(err(m.add_view(tg_view("d0", "tg3", 2))) == "OK");
  const std::string t3 = "iqn.2026-11.org.stmfd:t3";
  REQUIRE(err(m.add_view(target_view("d1", t3, 2))) == "OK");
  CHECK(err(m.add_target_group_member("tg3", t3)) ==
        "view of LU 'd1' at LUN 2 (all hosts, target '" + t3 +
            "') conflicts with the view of LU 'd0' at LUN 2 (all hosts, target group 'tg3'): an "
            "initiator both views cover would see two LUs at LUN 2 through the same target");
  CHECK(m.target_groups()[2].members.empty());
  CHECK(luns(m, host_a, t3) == "2=d1");
}

TEST_CASE("add_view_picks_the_lowest_lun_free_for_its_hosts_and_targets", "[mapping][views]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(all_view("d0", 0))) == "OK");
  REQUIRE(err(m.add_view(hg_view("d1", "hg1", 1))) == "OK");
  REQUIRE(err(m.add_view(hg_view("d2", "hg2", 2))) == "OK");
  auto r = m.add_view(hg_view("d3", "hg2", 0), auto_lun);
  CHECK(err(r.error) == "OK");
  CHECK(r.lun == 1);  // 0: all hosts, 2: hg2; 1 is hg1's, which hg2 never sees
  CHECK(luns(m, host_b, target_1) == "0=d0 1=d3 2=d2");
  // The LU is already visible to these initiators: no LUN helps.
  auto again = m.add_view(all_view("d0", 0), auto_lun);
  CHECK(again.error.value_or("").find("would see LU 'd0' twice") != std::string::npos);
  CHECK(m.views().size() == 4);
}

TEST_CASE("add_view_reports_when_every_lun_is_taken", "[mapping][views]") {
  std::vector<std::string> lus;
  std::vector<view_entry> views;
  for (uint16_t lun = 0; lun <= max_lun; ++lun) {
    lus.push_back("lu" + std::to_string(lun));
    views.push_back(all_view(lus.back(), lun));
  }
  lus.push_back("last");
  mapping m;
  REQUIRE(err(m.replace({}, {}, views, lus)) == "OK");
  auto r = m.add_view(all_view("last", 0), auto_lun);
  CHECK(err(r.error) == "no LUN is free for LU 'last' (all hosts, all targets): all 16384 are in use");
  CHECK(m.views().size() == 16384);
}

TEST_CASE("remove_view_needs_the_exact_view", "[mapping][views]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(view_entry{"d0", "hg1", "", target_1, 4})) == "OK");
  CHECK(err(m.remove_view("d0", "hg1", "", target_1, 5)) ==
        "there is no view of LU 'd0' at LUN 5 (host group 'hg1', target '" + target_1 + "')");
  CHECK(err(m.remove_view("d0", "", "", target_1, 4)) ==
        "there is no view of LU 'd0' at LUN 4 (all hosts, target '" + target_1 + "')");
  CHECK(err(m.remove_view("d0", "hg1", "tg1", "", 4)).rfind("there is no view", 0) == 0);
  CHECK(m.views().size() == 1);
  CHECK(err(m.remove_view("d0", "hg1", "", "IQN.2026-11.ORG.STMFD:T1", 4)) == "OK");
  CHECK(m.views().empty());
}

TEST_CASE("a_failed_replace_keeps_the_old_model", "[mapping][atomic]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(all_view("d0", 0))) == "OK");
  CHECK(err(m.replace({{"x", {}}}, {}, {all_view("a", 0), all_view("b", 0)}, {"a", "b"})) ==
        "view of LU 'b' at LUN 0 (all hosts, all targets) conflicts with the view of LU 'a' at "
        "LUN 0 (all hosts, all targets): an initiator both views cover would see two LUs at LUN "
        "0 through the same target");
  CHECK(m.host_groups().size() == 2);
  CHECK(m.lus().size() == 4);
  REQUIRE(m.views().size() == 1);
  CHECK(m.views()[0].lu == "d0");
  CHECK(luns(m, host_a, target_1) == "0=d0");
}

TEST_CASE("all_hosts_views_reach_every_initiator_through_every_target", "[mapping][luns_for]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(all_view("d1", 9))) == "OK");
  REQUIRE(err(m.add_view(all_view("d0", 2))) == "OK");
  CHECK(luns(m, host_a, target_1) == "2=d0 9=d1");  // sorted by LUN
  CHECK(luns(m, "iqn.2026-11.org.example:stranger", "iqn.2026-11.org.stmfd:other") == "2=d0 9=d1");
}

TEST_CASE("host_group_views_reach_only_their_members", "[mapping][luns_for]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(hg_view("d0", "hg1", 0))) == "OK");
  REQUIRE(err(m.add_view(hg_view("d1", "hg2", 0))) == "OK");
  REQUIRE(err(m.add_view(all_view("d2", 1))) == "OK");
  CHECK(luns(m, host_a, target_1) == "0=d0 1=d2");
  CHECK(luns(m, host_b, target_1) == "0=d1 1=d2");
  CHECK(luns(m, "iqn.2026-11.org.example:host-c", target_1) == "1=d2");
}

TEST_CASE("target_group_views_reach_only_through_their_members", "[mapping][luns_for]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(tg_view("d0", "tg1", 0))) == "OK");
  REQUIRE(err(m.add_view(view_entry{"d1", "hg2", "tg2", "", 0})) == "OK");
  CHECK(luns(m, host_a, target_1) == "0=d0");
  CHECK(luns(m, host_a, target_2) == "");
  CHECK(luns(m, host_b, target_2) == "0=d1");
  CHECK(luns(m, host_b, "iqn.2026-11.org.stmfd:t3") == "");
}

TEST_CASE("a_targets_own_views_reach_only_through_it", "[mapping][luns_for]") {
  mapping m = sample();
  REQUIRE(err(m.add_view(target_view("d0", target_1, 0))) == "OK");
  REQUIRE(err(m.add_view(target_view("d1", target_2, 0))) == "OK");
  REQUIRE(err(m.add_view(view_entry{"d2", "hg1", "", target_2, 1})) == "OK");
  CHECK(luns(m, host_a, target_1) == "0=d0");
  CHECK(luns(m, host_a, target_2) == "0=d1 1=d2");
  CHECK(luns(m, host_b, target_2) == "0=d1");
}

TEST_CASE("luns_for_matches_port_names_without_case", "[mapping][luns_for]") {
  mapping m = sample();
  REQUIRE(err(m.add_host_group_member("hg1", "wwn.2100001B32A0C0DE")) == "OK");
  REQUIRE(err(m.add_view(view_entry{"d0", "hg1", "tg1", "", 0})) == "OK");
  REQUIRE(err(m.add_view(target_view("d1", target_2, 0))) == "OK");
  CHECK(luns(m, "IQN.2026-11.Org.Example:Host-A", "Iqn.2026-11.Org.Stmfd:T1") == "0=d0");
  CHECK(luns(m, "wwn.2100001b32a0c0de", target_1) == "0=d0");
  CHECK(luns(m, host_b, "IQN.2026-11.ORG.STMFD:T2") == "0=d1");
}
