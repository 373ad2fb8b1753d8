// admin_service ALUA requests: an implicit transition is written to the
// config file's targetPortGroups (loadable by `stmfd --config`) and pushed
// to the framework; a refused one changes neither.
#include <catch2/catch.hpp>

#include "actors/admin/admin_service.hpp"
#include "admin_test_util.hpp"
#include "wire/config/loader.hpp"

using namespace stmfd;
using namespace stmfd::admin;
using namespace stmfd::admin::test;

namespace {

struct fixture : service_fixture {
  // The model the daemon would start from after a restart.
  target_port_groups after_restart() {
    auto loaded = wire::cfg::load_file(path);
    REQUIRE(loaded.ok);
    auto defs = definitions_from(loaded.root());
    REQUIRE(defs.defs);
    return defs.defs->alua;
  }
};

}  // namespace

TEST_CASE("set_alua_state_is_saved_and_pushed", "[admin][alua]") {
  fixture f;
  REQUIRE(f.svc->set_alua_state(1, "standby", "").ok());
  REQUIRE(f.stmf.alua_changes.size() == 1);
  CHECK(f.stmf.alua_changes[0].group == 1);
  CHECK(f.stmf.alua_changes[0].state == access_state::standby);
  CHECK(f.stmf.alua_changes[0].lu.empty());
  auto m = f.after_restart();
  REQUIRE(m.find(1));
  CHECK(m.find(1)->state == access_state::standby);
  CHECK(read_file(f.path).find("\"targetPortGroups\"") != std::string::npos);

  REQUIRE(f.svc->set_alua_state(1, "active-nonoptimized", "lu0").ok());
  m = f.after_restart();
  CHECK(m.view_for("lu0", {1}).state_of(1) == access_state::active_non_optimized);
  CHECK(m.find(1)->state == access_state::standby);
  REQUIRE(f.svc->set_alua_state(1, "active-optimized", "").ok());  // for all: the exception goes
  CHECK(f.after_restart().view_for("lu0", {1}).state_of(1) == access_state::active_optimized);
}

TEST_CASE("set_alua_state_refusals_change_nothing", "[admin][alua]") {
  fixture f;
  const std::string before = read_file(f.path);
  CHECK(f.svc->set_alua_state(1, "asleep", "").code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->set_alua_state(0, "standby", "").code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->set_alua_state(9, "standby", "").code == error_code::NOT_FOUND);  // no port names group 9
  CHECK(f.svc->set_alua_state(1, "standby", "nope").code == error_code::NOT_FOUND);
  CHECK(read_file(f.path) == before);
  CHECK(f.stmf.alua_changes.empty());
}

TEST_CASE("deleting_an_lu_drops_its_alua_states", "[admin][alua]") {
  fixture f;
  REQUIRE(f.svc->set_alua_state(1, "unavailable", "lu0").ok());
  REQUIRE(f.svc->delete_lu("lu0").ok());  // the config stays loadable without lu0
  auto m = f.after_restart();
  REQUIRE(m.find(1));
  CHECK(m.find(1)->lu_states.empty());
}
