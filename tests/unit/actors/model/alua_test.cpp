#include <catch2/catch.hpp>

#include "actors/model/alua.hpp"

using namespace stmfd;
using stmfd::scsi::sense;

namespace {
tpg_definition group(uint16_t id, access_state s) {
  tpg_definition d;
  d.id = id;
  d.state = s;
  return d;
}
command_info read_row() {
  command_info i;
  i.known = true;
  return i;
}
command_info inquiry_row() {
  command_info i;
  i.known = true;
  i.allowed_on_standby = i.allowed_on_unavailable = i.allowed_on_transitioning = true;
  return i;
}
command_info mode_sense_row() {
  command_info i;
  i.known = true;
  i.allowed_on_standby = true;
  return i;
}
}  // namespace

TEST_CASE("groups_without_config_are_active_optimized", "[model][alua]") {
  target_port_groups m;
  auto v = m.view_for("lu0", {1, 2});
  REQUIRE(v.groups.size() == 2);
  CHECK(v.state_of(1) == access_state::active_optimized);
  CHECK(v.state_of(2) == access_state::active_optimized);
  CHECK(v.state_of(9) == access_state::active_optimized);  // unknown: the default
}

TEST_CASE("per_lu_states_override_the_group", "[model][alua]") {
  auto g = group(2, access_state::standby);
  g.lu_states["lu1"] = access_state::active_non_optimized;
  target_port_groups m({group(1, access_state::active_optimized), g});
  CHECK(m.view_for("lu0", {1, 2}).state_of(2) == access_state::standby);
  CHECK(m.view_for("lu1", {1, 2}).state_of(2) == access_state::active_non_optimized);
}

TEST_CASE("admin_state_for_all_drops_overrides_and_stpg", "[model][alua]") {
  auto g = group(2, access_state::standby);
  g.lu_states["lu1"] = access_state::unavailable;
  target_port_groups m({g});
  m.set_by_stpg(2, "lu0", access_state::active_optimized);
  CHECK(m.view_for("lu0", {2}).state_of(2) == access_state::active_optimized);  // STPG wins over the config
  CHECK(m.set_state(2, access_state::transitioning, "").empty());
  CHECK(m.view_for("lu0", {2}).state_of(2) == access_state::transitioning);
  CHECK(m.view_for("lu1", {2}).state_of(2) == access_state::transitioning);
  CHECK(m.set_state(2, access_state::standby, "lu1").empty());
  CHECK(m.view_for("lu1", {2}).state_of(2) == access_state::standby);
  CHECK(m.view_for("lu0", {2}).state_of(2) == access_state::transitioning);
  CHECK_FALSE(m.set_state(0, access_state::standby, "").empty());  // group 0 is reserved
}

TEST_CASE("admin_lu_state_replaces_that_lus_stpg_state", "[model][alua]") {
  target_port_groups m({group(1, access_state::active_optimized)});
  m.set_by_stpg(1, "lu0", access_state::standby);
  CHECK(m.view_for("lu0", {1}).state_of(1) == access_state::standby);
  m.set_state(1, access_state::unavailable, "lu0");
  CHECK(m.view_for("lu0", {1}).state_of(1) == access_state::unavailable);
  m.forget_lu("lu0");
  CHECK(m.view_for("lu0", {1}).state_of(1) == access_state::active_optimized);
}

TEST_CASE("set_state_adds_a_group_a_port_names", "[model][alua]") {
  target_port_groups m;
  CHECK(m.set_state(5, access_state::standby, "").empty());
  REQUIRE(m.find(5));
  CHECK(m.view_for("x", {1}).state_of(5) == access_state::standby);
}

TEST_CASE("access_check_follows_spc4_per_state", "[model][alua]") {
  for (auto s : {access_state::active_optimized, access_state::active_non_optimized}) {
    CHECK_FALSE(access_check(s, read_row()));
    CHECK_FALSE(access_check(s, inquiry_row()));
  }
  CHECK(access_check(access_state::standby, read_row()) == sense::not_ready_standby());
  CHECK_FALSE(access_check(access_state::standby, mode_sense_row()));
  CHECK_FALSE(access_check(access_state::standby, inquiry_row()));
  CHECK(access_check(access_state::unavailable, read_row()) == sense::not_ready_unavailable());
  CHECK(access_check(access_state::unavailable, mode_sense_row()) == sense::not_ready_unavailable());
  CHECK_FALSE(access_check(access_state::unavailable, inquiry_row()));
  CHECK(access_check(access_state::transitioning, read_row()) == sense::not_ready_transitioning());
  CHECK_FALSE(access_check(access_state::transitioning, inquiry_row()));
  CHECK(access_check(access_state::offline, mode_sense_row()) == sense::not_ready_offline());
  command_info unknown;
  CHECK_FALSE(access_check(access_state::standby, unknown));  // the provider answers INVALID OPERATION CODE
}

namespace {
local_port port_in(uint16_t group, uint16_t rel, bool online) {
  local_port p;
  p.relative_port_id = rel;
  p.target_port_group = group;
  p.online = online;
  return p;
}
}  // namespace

TEST_CASE("group_with_every_port_down_is_offline", "[model][alua]") {
  target_port_groups m({group(2, access_state::standby)});
  // Group 1: one port down, one up (keeps its state); group 2: its only port down.
  const std::vector<local_port> ports = {port_in(1, 1, false), port_in(1, 2, true), port_in(2, 3, false)};
  auto v = m.view_for("lu0", {1, 2});
  apply_port_states(v, ports);
  CHECK(v.state_of(1) == access_state::active_optimized);
  CHECK(v.state_of(2) == access_state::offline);
  // Back up: the model's state (standby) again, not active/optimized.
  auto back = m.view_for("lu0", {1, 2});
  apply_port_states(back, {port_in(1, 1, true), port_in(2, 3, true)});
  CHECK(back.state_of(1) == access_state::active_optimized);
  CHECK(back.state_of(2) == access_state::standby);
}

TEST_CASE("port_down_overrides_stpg_and_per_lu_states", "[model][alua]") {
  auto g = group(2, access_state::active_optimized);
  g.lu_states["lu1"] = access_state::active_non_optimized;
  target_port_groups m({g});
  m.set_by_stpg(2, "lu0", access_state::standby);
  for (const char* lu : {"lu0", "lu1"}) {
    auto v = m.view_for(lu, {2});
    apply_port_states(v, {port_in(2, 7, false)});
    CHECK(v.state_of(2) == access_state::offline);
  }
  // No ports at all (a test driving the model alone): nothing changes.
  auto v = m.view_for("lu0", {2});
  apply_port_states(v, {});
  CHECK(v.state_of(2) == access_state::standby);
}

TEST_CASE("port_with_link_down_counts_as_down", "[model][alua]") {
  target_port_groups m({group(2, access_state::active_non_optimized)});
  // Group 2: an FC port, online (accepting logins) but its link down.
  auto fc = port_in(2, 4, true);
  fc.link_up = false;
  auto v = m.view_for("lu0", {1, 2});
  apply_port_states(v, {port_in(1, 1, true), fc});
  CHECK(v.state_of(1) == access_state::active_optimized);
  CHECK(v.state_of(2) == access_state::offline);
  // A second port of group 2 with its link up keeps the group's state.
  auto w = m.view_for("lu0", {1, 2});
  apply_port_states(w, {port_in(1, 1, true), fc, port_in(2, 5, true)});
  CHECK(w.state_of(2) == access_state::active_non_optimized);
}
