// admin_service: each request either commits (file rewritten, loadable by
// `stmfd --config`, pushed to the framework) or is refused with the right
// error code and changes nothing.
#include <catch2/catch.hpp>

#include "actors/admin/admin_service.hpp"
#include "admin_test_util.hpp"
#include "wire/config/loader.hpp"

using namespace stmfd;
using namespace stmfd::admin;
using namespace stmfd::admin::test;

namespace {

struct fixture : service_fixture {
  // The file on disk loads, and what the daemon would map from it.
  std::vector<lun_assignment> luns_after_restart(const std::string& initiator) {
    auto loaded = wire::cfg::load_file(path);
    REQUIRE(loaded.ok);
    auto defs = definitions_from(loaded.root());
    REQUIRE(defs.defs);
    return defs.defs->views.luns_for(initiator, "iqn.2026-11.t:a");
  }
};

const std::string host_a = "iqn.2026-11.org.example:host-a";
const std::string host_b = "iqn.2026-11.org.example:host-b";

}  // namespace

TEST_CASE("a host group view reaches the member only, in the file and live", "[admin][service]") {
  fixture f;
  REQUIRE(f.svc->create_group(true, "hg1").ok());
  REQUIRE(f.svc->add_member(true, "hg1", host_a).ok());
  lu_request lu;
  lu.name = "disk1";
  lu.backing = "file";
  lu.path = "disk1.img";
  lu.size_bytes = 1 << 20;
  std::string guid;
  REQUIRE(f.svc->create_lu(lu, guid).ok());
  CHECK(guid.size() == 32);
  CHECK(f.stmf.created == std::vector<std::string>{"disk1"});
  uint16_t lun = 0;
  REQUIRE(f.svc->add_view(view_entry{guid, "hg1", "", "", 7}, true, lun).ok());  // by GUID
  CHECK(lun == 7);
  auto a = f.luns_after_restart(host_a);
  REQUIRE(a.size() == 2);
  CHECK((a[1].lun == 7 && a[1].lu == "disk1"));
  CHECK(f.luns_after_restart(host_b).size() == 1);  // LUN 0 of the target only
  REQUIRE(!f.stmf.pushed.empty());
  CHECK(f.stmf.pushed.back().luns_for(host_a, "iqn.2026-11.t:a").size() == 2);
}

TEST_CASE("refused requests leave the file and the framework untouched", "[admin][service]") {
  fixture f;
  REQUIRE(f.svc->create_group(true, "hg1").ok());
  REQUIRE(f.svc->add_member(true, "hg1", host_a).ok());
  auto before = read_file(f.path);
  auto pushes = f.stmf.pushed.size();
  uint16_t lun = 0;
  struct refusal {
    status st;
    error_code want;
  };
  std::vector<refusal> cases = {
      {f.svc->create_group(true, "hg1"), error_code::ALREADY_EXISTS},
      {f.svc->create_group(true, "bad name"), error_code::INVALID_ARGUMENT},
      {f.svc->add_member(true, "nohg", host_b), error_code::NOT_FOUND},
      {f.svc->add_member(true, "hg1", "iqn.bad"), error_code::INVALID_ARGUMENT},
      {f.svc->add_member(true, "hg1", host_a), error_code::ALREADY_EXISTS},
      {f.svc->add_view(view_entry{"nolu", "", "", "", 1}, true, lun), error_code::NOT_FOUND},
      {f.svc->add_view(view_entry{"lu0", "nohg", "", "", 1}, true, lun), error_code::NOT_FOUND},
      {f.svc->add_view(view_entry{"lu0", "", "", "", 20000}, true, lun), error_code::INVALID_ARGUMENT},
      // lu0 is at LUN 0 for everyone through the target already.
      {f.svc->add_view(view_entry{"lu0", "hg1", "", "", 3}, true, lun), error_code::CONFLICT},
      {f.svc->remove_view(view_entry{"lu0", "hg1", "", "", 3}), error_code::NOT_FOUND},
      {f.svc->delete_group(true, "nohg"), error_code::NOT_FOUND},
      {f.svc->remove_member(true, "hg1", host_b), error_code::NOT_FOUND},
      {f.svc->delete_lu("nolu"), error_code::NOT_FOUND},
      {f.svc->set_lu_online("nolu", false), error_code::NOT_FOUND},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i << ": " << cases[i].st.message);
    CHECK(cases[i].st.code == cases[i].want);
    CHECK(!cases[i].st.message.empty());
  }
  CHECK(read_file(f.path) == before);
  CHECK(f.stmf.pushed.size() == pushes);
}

TEST_CASE("a LUN already taken for a nexus is refused naming the other view", "[admin][service]") {
  fixture f;
  lu_request lu;
  lu.name = "r1";
  lu.backing = "ram";
  lu.size_bytes = 1 << 20;
  std::string guid;
  REQUIRE(f.svc->create_lu(lu, guid).ok());
  uint16_t lun = 0;
  auto st = f.svc->add_view(view_entry{"r1", "", "", "", 0}, true, lun);
  CHECK(st.code == error_code::CONFLICT);
  CHECK(st.message.find("lu0") != std::string::npos);
  REQUIRE(f.svc->add_view(view_entry{"r1", "", "", "", 0}, false, lun).ok());  // the lowest free LUN
  CHECK(lun == 1);
}

TEST_CASE("create-lu refusals keep nothing", "[admin][service]") {
  fixture f;
  auto before = read_file(f.path);
  std::string guid;
  lu_request outside{"x", "file", "/etc/stmfd-x.img", 1 << 20};
  CHECK(f.svc->create_lu(outside, guid).code == error_code::PERMISSION_DENIED);
  lu_request odd{"y", "file", "y.img", 1000};
  CHECK(f.svc->create_lu(odd, guid).code == error_code::INVALID_ARGUMENT);
  lu_request dup{"lu0", "ram", "", 1 << 20};
  CHECK(f.svc->create_lu(dup, guid).code == error_code::ALREADY_EXISTS);
  lu_request bad_name{"a b", "ram", "", 1 << 20};
  CHECK(f.svc->create_lu(bad_name, guid).code == error_code::INVALID_ARGUMENT);
  f.stmf.create_error = "cannot create /x: No space left on device";
  lu_request fails{"z", "ram", "", 1 << 20};
  auto st = f.svc->create_lu(fails, guid);
  CHECK(st.code == error_code::FAILED);
  CHECK(st.message == f.stmf.create_error);
  CHECK(read_file(f.path) == before);
  CHECK(f.stmf.created.empty());
}

TEST_CASE("delete-lu removes the LU and its views from the file and the framework", "[admin][service]") {
  fixture f;
  REQUIRE(f.svc->delete_lu("lu0").ok());
  CHECK(f.stmf.deleted == std::vector<std::string>{"lu0"});
  CHECK(f.luns_after_restart(host_a).empty());
  std::vector<lu_listing> lus;
  REQUIRE(f.svc->list_lus("", lus).ok());
  CHECK(lus.empty());
}

TEST_CASE("the rewritten file keeps the operator's keys and relative paths", "[admin][service]") {
  fixture f;
  REQUIRE(f.svc->create_group(false, "tg1").ok());
  auto text = read_file(f.path);
  CHECK(text.find("\"logLevel\": \"info\"") != std::string::npos);
  CHECK(text.find("\"targetGroups\"") != std::string::npos);
  // The target's own LUN list stays where it was written.
  CHECK(text.find("\"luns\": [{\"lun\": 0, \"logicalUnit\": \"lu0\"}]") != std::string::npos);
}

TEST_CASE("a service over a config that does not load refuses every change", "[admin][service]") {
  scratch_dir d;
  fake_stmf stmf;
  admin_service svc(d.file("x.json"), "{ not json", stmf);
  CHECK(!svc.load_error().empty());
  CHECK(svc.create_group(true, "hg").code == error_code::FAILED);
}

TEST_CASE("listings fail when the framework does not answer, never report offline", "[admin][service]") {
  fixture f;
  f.stmf.states = {{"lu0", lu_state::online, ""}};
  std::vector<lu_listing> lus;
  REQUIRE(f.svc->list_lus("", lus).ok());
  REQUIRE(lus.size() == 1);
  CHECK(lus[0].state == lu_state::online);
  f.stmf.listing_error = "the framework did not answer: request_timeout";
  lus.clear();
  auto st = f.svc->list_lus("", lus);
  CHECK(st.code == error_code::FAILED);
  CHECK(st.message.find("request_timeout") != std::string::npos);
  CHECK(lus.empty());
  port_summary_list ports;
  CHECK(f.svc->list_targets(ports).code == error_code::FAILED);
  tpg_listing groups;
  CHECK(f.svc->list_alua(groups).code == error_code::FAILED);
}
