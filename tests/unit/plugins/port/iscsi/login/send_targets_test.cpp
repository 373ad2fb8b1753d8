#include "login_test_util.hpp"

#include "plugins/port/iscsi/login/send_targets.hpp"

using namespace login_test;

namespace {

template <size_t N>
std::string lit(const char (&s)[N]) {
  return std::string(s, N - 1);
}

std::string str(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

}  // namespace

TEST_CASE("send_targets_all_in_discovery", "[send_targets]") {
  auto dir = make_directory();
  CHECK(str(send_targets(dir, "All", nullptr)) == lit("TargetName=iqn.2024-01.com.example:disk1\0"
                                                      "TargetAddress=127.0.0.1:3260,7\0"
                                                      "TargetAddress=[::1]:3260,7\0"
                                                      "TargetName=iqn.2024-01.com.example:disk2\0"
                                                      "TargetAddress=10.0.0.2:3260,1\0"));
}

TEST_CASE("send_targets_one_name_in_discovery", "[send_targets]") {
  auto dir = make_directory();
  CHECK(str(send_targets(dir, "iqn.2024-01.com.example:disk2", nullptr)) ==
        lit("TargetName=iqn.2024-01.com.example:disk2\0TargetAddress=10.0.0.2:3260,1\0"));
  CHECK(send_targets(dir, "iqn.2024-01.com.example:none", nullptr).empty());
  CHECK(str(send_targets(dir, "", nullptr)) == lit("SendTargets=Reject\0"));
}

TEST_CASE("send_targets_target_without_portals", "[send_targets]") {
  fake_directory dir;
  target_info t;
  t.name = "iqn.2024-01.com.example:lonely";
  dir.targets.push_back(t);
  CHECK(str(send_targets(dir, "All", nullptr)) == lit("TargetName=iqn.2024-01.com.example:lonely\0"));
}

TEST_CASE("send_targets_in_normal_session_only_own_target", "[send_targets]") {
  auto dir = make_directory();
  const std::string own = target_iqn;
  const std::string expect =
      lit("TargetName=iqn.2024-01.com.example:disk1\0"
          "TargetAddress=127.0.0.1:3260,7\0"
          "TargetAddress=[::1]:3260,7\0");
  CHECK(str(send_targets(dir, "", &own)) == expect);
  CHECK(str(send_targets(dir, own, &own)) == expect);
  CHECK(send_targets(dir, "iqn.2024-01.com.example:disk2", &own).empty());
  CHECK(str(send_targets(dir, "All", &own)) == lit("SendTargets=Reject\0"));
}

// A target bound to several portal groups (config Target.portalGroups):
// each address goes out with its own group's tag (RFC 7143 13.8), not the
// first group's.
TEST_CASE("send_targets_each_portal_with_its_own_group_tag", "[send_targets]") {
  fake_directory dir;
  target_info t;
  t.name = "iqn.2024-01.com.example:two-groups";
  t.tpgt = 2;
  t.portals = {"127.0.0.1:3260", "127.0.0.1:3261", "[::1]:3262"};
  t.portal_tags = {2, 3, 3};
  dir.targets.push_back(t);
  CHECK(str(send_targets(dir, "All", nullptr)) == lit("TargetName=iqn.2024-01.com.example:two-groups\0"
                                                      "TargetAddress=127.0.0.1:3260,2\0"
                                                      "TargetAddress=127.0.0.1:3261,3\0"
                                                      "TargetAddress=[::1]:3262,3\0"));
  CHECK(t.tag_for("127.0.0.1:3261") == 3);
  CHECK(t.tag_for("10.9.9.9:3260") == 2);  // not one of its portals: the first tag
}
