// The transactional apply (admin_service::apply, config_diff): a dry run
// reports and changes nothing; an apply is all or nothing; changes that
// need a restart and configurations that do not validate are refused with
// the file and the framework untouched.
#include <catch2/catch.hpp>

#include "actors/admin/admin_service.hpp"
#include "admin_test_util.hpp"
#include "wire/config/loader.hpp"

using namespace stmfd;
using namespace stmfd::admin;
using namespace stmfd::admin::test;

namespace {

struct fixture {
  scratch_dir dir;
  std::string path = dir.file("stmfd.json");
  std::string data = dir.file("data");
  fake_stmf stmf;
  std::unique_ptr<admin_service> svc;
  fixture() {
    write_file(path, base_config(data));
    svc = std::make_unique<admin_service>(path, read_file(path), stmf);
    REQUIRE(svc->load_error().empty());
  }
  // base_config plus a RAM LU "lu1", a host group with one member and a
  // view of lu1 at LUN 3 for it; `target` replaces the portal when given.
  std::string desired(const std::string& portal = "127.0.0.1:3260") const {
    return R"({ "dataDir": ")" + data + R"(", "logLevel": "info",
  "targets": [ { "name": "iqn.2026-11.t:a", "portals": [")" +
           portal + R"("], "luns": [ { "lun": 0, "logicalUnit": "lu0" } ] } ],
  "logicalUnits": [ { "name": "lu0", "backing": "ram", "sizeBytes": 1048576 },
                    { "name": "lu1", "backing": "ram", "sizeBytes": 2097152 } ],
  "hostGroups": [ { "name": "hg1", "members": ["iqn.2026-11.org.example:host-a"] } ],
  "views": [ { "logicalUnit": "lu1", "hostGroup": "hg1", "lun": 3 } ] })";
  }
};

bool has(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE("apply_dry_run_lists_the_difference_and_changes_nothing", "[admin][apply]") {
  fixture f;
  std::string before = read_file(f.path);
  std::vector<std::string> diff;
  auto st = f.svc->apply(f.desired(), true, diff);
  REQUIRE(st.ok());
  CHECK(has(diff, "+ lu lu1"));
  CHECK(has(diff, "+ host-group hg1"));
  CHECK(has(diff, "+ host-group-member hg1 iqn.2026-11.org.example:host-a"));
  CHECK(has(diff, "+ view lu1 host=hg1 targets=* lun=3"));
  CHECK(diff.size() == 4);
  CHECK(read_file(f.path) == before);
  CHECK(f.stmf.created.empty());
  CHECK(f.stmf.pushed.empty());
}

TEST_CASE("apply_commits_starts_new_lus_and_pushes_the_mapping", "[admin][apply]") {
  fixture f;
  std::vector<std::string> diff;
  REQUIRE(f.svc->apply(f.desired(), false, diff).ok());
  CHECK(f.stmf.created == std::vector<std::string>{"lu1"});
  REQUIRE(f.stmf.pushed.size() == 1);
  CHECK(f.stmf.pushed[0].luns_for("iqn.2026-11.org.example:host-a", "iqn.2026-11.t:a").size() == 2);
  CHECK(read_file(f.path) == f.desired());
  auto loaded = wire::cfg::load_file(f.path);
  REQUIRE(loaded.ok);
  // Applying the same again: no difference, nothing done.
  REQUIRE(f.svc->apply(f.desired(), false, diff).ok());
  CHECK(diff.empty());
  CHECK(f.stmf.created.size() == 1);
  // Back to the base: lu1 deleted, its group and view gone.
  REQUIRE(f.svc->apply(base_config(f.data), false, diff).ok());
  CHECK(has(diff, "- lu lu1"));
  CHECK(has(diff, "- view lu1 host=hg1 targets=* lun=3"));
  CHECK(has(diff, "- host-group hg1"));
  CHECK(f.stmf.deleted == std::vector<std::string>{"lu1"});
  std::vector<lu_listing> lus;
  REQUIRE(f.svc->list_lus("", lus).ok());
  CHECK(lus.size() == 1);
}

TEST_CASE("apply_refuses_changes_that_need_a_restart", "[admin][apply]") {
  fixture f;
  std::string before = read_file(f.path);
  std::vector<std::string> diff;
  auto st = f.svc->apply(f.desired("127.0.0.1:3999"), false, diff);
  CHECK(st.code == error_code::CONFLICT);
  CHECK(st.message.find("targets") != std::string::npos);
  CHECK(has(diff, "! targets: changed; needs a restart (not applied live)"));
  CHECK(read_file(f.path) == before);
  CHECK(f.stmf.created.empty());
  // An existing LU's definition changed.
  std::string grown = base_config(f.data);
  grown.replace(grown.find("1048576"), 7, "2097152");
  st = f.svc->apply(grown, true, diff);
  CHECK(st.code == error_code::CONFLICT);
  REQUIRE(diff.size() == 1);
  CHECK(diff[0].rfind("! lu lu0: definition changed", 0) == 0);
}

TEST_CASE("apply_refuses_an_invalid_configuration_and_changes_nothing", "[admin][apply]") {
  fixture f;
  std::string before = read_file(f.path);
  std::vector<std::string> diff;
  auto st = f.svc->apply(R"({ "logicalUnits": [ { "name": "x", "backing": "tape" } ] })", false, diff);
  CHECK(st.code == error_code::INVALID_ARGUMENT);
  CHECK(st.message.find("logicalUnits[0]") != std::string::npos);
  st = f.svc->apply("{ not json", false, diff);
  CHECK(st.code == error_code::INVALID_ARGUMENT);
  CHECK(read_file(f.path) == before);
  CHECK(f.stmf.created.empty());
  CHECK(f.stmf.pushed.empty());
}

TEST_CASE("apply_undoes_started_lus_when_one_cannot_start", "[admin][apply]") {
  fixture f;
  std::string before = read_file(f.path);
  f.stmf.create_error = "cannot open the store";
  std::vector<std::string> diff;
  auto st = f.svc->apply(f.desired(), false, diff);
  CHECK(st.code == error_code::FAILED);
  CHECK(st.message.find("nothing was applied") != std::string::npos);
  CHECK(read_file(f.path) == before);
  CHECK(f.stmf.pushed.empty());
  // The committed state is still the old one: a dry run shows the same diff.
  f.stmf.create_error.clear();
  REQUIRE(f.svc->apply(f.desired(), true, diff).ok());
  CHECK(has(diff, "+ lu lu1"));
}

TEST_CASE("reload_applies_the_edited_file", "[admin][apply]") {
  fixture f;
  write_file(f.path, f.desired());
  REQUIRE(f.svc->reload().ok());
  CHECK(f.stmf.created == std::vector<std::string>{"lu1"});
  REQUIRE(f.svc->reload().ok());  // unchanged: nothing more
  CHECK(f.stmf.created.size() == 1);
}
