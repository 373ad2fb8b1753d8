// mapping_from_config: the loaded config's targets' luns and views as one
// LUN mapping, with conflicts reported at their key paths.
#include <catch2/catch.hpp>

#include <filesystem>

#include "mapping_test_util.hpp"
#include "wire/config/loader.hpp"

using namespace stmfd;
using namespace stmfd::test;

namespace {
// LUs d0..d2, targets t1 (LUN 0 = d0) and t2, a host group hg1 = {host_a},
// a target group tg2 = {t2}, and `views` as Config.views.
std::string config_with_views(std::string_view views) {
  return std::string(R"({"logicalUnits": [
      {"name": "d0", "backing": "ram", "sizeBytes": 1048576},
      {"name": "d1", "backing": "ram", "sizeBytes": 1048576},
      {"name": "d2", "backing": "ram", "sizeBytes": 1048576}],
    "targets": [
      {"name": "iqn.2026-11.org.stmfd:t1", "portals": ["127.0.0.1"],
       "luns": [{"lun": 0, "logicalUnit": "d0"}]},
      {"name": "iqn.2026-11.org.stmfd:t2", "portals": ["127.0.0.1"]}],
    "hostGroups": [{"name": "hg1", "members": ["iqn.2026-11.org.example:host-a"]}],
    "targetGroups": [{"name": "tg2", "members": ["iqn.2026-11.org.stmfd:t2"]}],
    "views": )") +
         std::string(views) + "}";
}

// The error of building a mapping from `json` (which must load), or "OK".
std::string build(std::string_view json, mapping& out) {
  auto loaded = wire::cfg::load_text(json, "t.json", "/etc/stmfd");
  if (!loaded.ok) return "load failed: " + loaded.error;
  return err(mapping_from_config(loaded.root(), out));
}
}  // namespace

TEST_CASE("a_targets_luns_and_the_views_make_one_mapping", "[mapping][config]") {
  mapping m;
  REQUIRE(build(config_with_views(R"([
      {"logicalUnit": "d1", "hostGroup": "hg1", "lun": 1},
      {"logicalUnit": "d2", "targetGroup": "tg2", "lun": 0}])"),
                m) == "OK");
  REQUIRE(m.views().size() == 3);
  CHECK(m.views()[0].target == target_1);  // targets[0].luns[0]
  CHECK(m.views()[0].host_group.empty());
  CHECK(m.lus() == std::vector<std::string>{"d0", "d1", "d2"});
  CHECK(m.host_groups()[0].members == std::vector<std::string>{host_a});
  CHECK(m.target_groups()[0].name == "tg2");
  CHECK(luns(m, host_a, target_1) == "0=d0 1=d1");
  CHECK(luns(m, host_b, target_1) == "0=d0");
  CHECK(luns(m, host_a, target_2) == "0=d2 1=d1");
  CHECK(luns(m, host_b, target_2) == "0=d2");
}

TEST_CASE("config_conflicts_are_reported_at_the_later_key_path", "[mapping][config]") {
  mapping m;
  CHECK(build(config_with_views(R"([{"logicalUnit": "d1", "lun": 0}])"), m) ==
        "views[0]: view of LU 'd1' at LUN 0 (all hosts, all targets) conflicts with the view "
        "of LU 'd0' at LUN 0 (all hosts, target '" +
            target_1 +
            "'): an initiator both views cover would see two LUs at LUN 0 through the same "
            "target");
  CHECK(build(config_with_views(R"([
      {"logicalUnit": "d1", "targetGroup": "tg2", "lun": 4},
      {"logicalUnit": "d1", "hostGroup": "hg1", "lun": 5}])"),
              m) ==
        "views[1]: view of LU 'd1' at LUN 5 (host group 'hg1', all targets) conflicts with the "
        "view of LU 'd1' at LUN 4 (all hosts, target group 'tg2'): an initiator both views "
        "cover would see LU 'd1' twice through the same target");
  CHECK(m.views().empty());  // left unchanged
}

TEST_CASE("a_failed_config_keeps_the_previous_mapping", "[mapping][config]") {
  mapping m;
  REQUIRE(build(config_with_views("[]"), m) == "OK");
  REQUIRE(m.views().size() == 1);
  CHECK(build(config_with_views(R"([{"logicalUnit": "d0", "hostGroup": "hg1", "lun": 3}])"), m) != "OK");
  CHECK(m.views().size() == 1);
  CHECK(luns(m, host_a, target_1) == "0=d0");
}

TEST_CASE("the_views_example_config_maps_as_documented", "[mapping][config]") {
  auto root = std::filesystem::path(STMFD_SOURCE_ROOT);
  auto loaded = wire::cfg::load_file((root / "config/examples/views.json").lexically_normal());
  REQUIRE(loaded.error == "");
  mapping m;
  REQUIRE(err(mapping_from_config(loaded.root(), m)) == "OK");
  const std::string target = "iqn.2026-11.org.stmfd:views";
  CHECK(luns(m, "iqn.2026-11.org.example:host-a", target) == "0=lu-b 7=lu-a");
  CHECK(luns(m, "iqn.2026-11.org.example:host-b", target) == "0=lu-b");
}
