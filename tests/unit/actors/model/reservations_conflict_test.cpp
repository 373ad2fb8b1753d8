// The reservation precheck for other commands (SPC-4 5.13.1, SBC-3 4.17).
#include "reservations_test_util.hpp"

using namespace rtest;

namespace {

struct access {
  bool read, write;
};

// libiscsi prout_reserve_access_*: A reserves with `type`; what B may do
// while registered and once unregistered. The holder may always do both.
void verify_access(uint8_t type, access registered, access unregistered) {
  lu l;
  l.setup(2, type);
  CHECK_FALSE(l.m.conflicts(a, cmd_read()));
  CHECK_FALSE(l.m.conflicts(a, cmd_write()));
  CHECK(l.m.conflicts(b, cmd_read()) == !registered.read);
  CHECK(l.m.conflicts(b, cmd_write()) == !registered.write);
  REQUIRE(is_good(l.reg(b, 0x2, 0)));
  CHECK(l.m.conflicts(b, cmd_read()) == !unregistered.read);
  CHECK(l.m.conflicts(b, cmd_write()) == !unregistered.write);
  CHECK_FALSE(l.m.conflicts(b, cmd_tur()));  // allowed under every type
}

}  // namespace

TEST_CASE("prout_reserve_access_we", "[model][pr][conflict]") {
  verify_access(pr::type::write_exclusive, {true, false}, {true, false});
}
TEST_CASE("prout_reserve_access_ea", "[model][pr][conflict]") {
  verify_access(pr::type::exclusive_access, {false, false}, {false, false});
}
TEST_CASE("prout_reserve_access_wero", "[model][pr][conflict]") {
  verify_access(pr::type::write_exclusive_registrants_only, {true, true}, {true, false});
}
TEST_CASE("prout_reserve_access_earo", "[model][pr][conflict]") {
  verify_access(pr::type::exclusive_access_registrants_only, {true, true}, {false, false});
}
TEST_CASE("prout_reserve_access_wear", "[model][pr][conflict]") {
  verify_access(pr::type::write_exclusive_all_registrants, {true, true}, {true, false});
}
TEST_CASE("prout_reserve_access_eaar", "[model][pr][conflict]") {
  verify_access(pr::type::exclusive_access_all_registrants, {true, true}, {false, false});
}

TEST_CASE("conflict_none_without_a_reservation", "[model][pr][conflict]") {
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1)));  // registrations alone restrict nothing
  CHECK_FALSE(l.m.conflicts(b, cmd_write()));
  CHECK_FALSE(l.m.conflicts(b, cmd_mode_select()));
}

TEST_CASE("conflict_write_exclusive_blocks_commands_without_flags", "[model][pr][conflict]") {
  lu l;
  l.setup(1, pr::type::write_exclusive);
  CHECK(l.m.conflicts(b, cmd_mode_select()));
  CHECK_FALSE(l.m.conflicts(b, cmd_tur()));  // allowed_under_reservation implies WE
}

TEST_CASE("conflict_writes_medium_beats_allowed_flags", "[model][pr][conflict]") {
  lu l;
  l.setup(1, pr::type::write_exclusive);
  command_info odd = cmd_write();
  odd.allowed_under_reservation = odd.allowed_under_write_exclusive = true;
  CHECK(l.m.conflicts(b, odd));
  CHECK_FALSE(l.m.conflicts(a, odd));
}

TEST_CASE("conflict_unknown_command_never_conflicts", "[model][pr][conflict]") {
  lu l;
  l.setup(1, pr::type::exclusive_access);
  command_info unknown;  // known = false: INVALID COMMAND OPERATION CODE comes first
  unknown.writes_medium = true;
  CHECK_FALSE(l.m.conflicts(b, unknown));
}

TEST_CASE("conflict_holder_is_one_i_t_nexus_not_the_initiator_port", "[model][pr][conflict]") {
  // A registered through every target port, reserved through port 1: the
  // same initiator port through port 2 is a registered non-holder.
  lu l;
  REQUIRE(is_good(l.reg(a, 0, 0x1, false, true)));
  REQUIRE(is_good(l.reserve(a, 0x1, pr::type::exclusive_access)));
  CHECK_FALSE(l.m.conflicts(a, cmd_write()));
  CHECK(l.m.conflicts(a_p2, cmd_read()));
  CHECK(l.m.conflicts(a2, cmd_read()));
}

TEST_CASE("conflict_spc2_reservation", "[model][spc2][conflict]") {
  lu l;
  REQUIRE(is_good(l.spc2(a, stmfd::scsi::op::reserve6)));
  CHECK_FALSE(l.m.conflicts(a, cmd_write()));
  CHECK(l.m.conflicts(b, cmd_read()));
  CHECK(l.m.conflicts(b, cmd_mode_select()));
  CHECK_FALSE(l.m.conflicts(b, cmd_tur()));
  CHECK(l.m.conflicts(a_p2, cmd_read()));  // another I_T nexus of the same initiator port
}
