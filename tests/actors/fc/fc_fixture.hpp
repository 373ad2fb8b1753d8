#pragma once
// STMF with a RAM disk LU and the FC port provider on a loopback HBA pair;
// the test is the initiator on the pair's other end.
#include <memory>
#include <string>

#include "plugins/port/fc/atoms.hpp"
#include "plugins/port/fc/provider.hpp"
#include "tests/actors/fc/fc_initiator.hpp"
#include "tests/actors/fixture.hpp"

namespace stmfd::test {

constexpr uint64_t fc_target_wwpn = 0x500A0B0C0D0E0F01;
constexpr uint64_t fc_target_wwnn = 0x500A0B0C0D0E0F00;
constexpr uint64_t fc_initiator_wwpn = 0x2100001B32A0B0C1;

struct fc_fixture {
  struct options {
    uint32_t max_burst = 256u << 10;
    size_t queue_capacity = 1024;
    uint32_t cmd_window = 128;  // frames each loopback end's receive queue holds
    // Views: by default disk0 at LUN 0 through the FC port for every
    // initiator; with a host group, only through it (COMSTAR masking).
    std::string host_group_member;
    // The interface (loopback pair) does not exist when the port starts:
    // the test makes it with make_interface() (ini is null until then).
    bool interface_later = false;
  };
  options opts;
  std::string ifname;
  fc::hba::loopback_pair pair;
  caf::actor provider;
  std::unique_ptr<stmf_fixture> stmf;
  std::unique_ptr<fc_initiator> ini;

  explicit fc_fixture(options o);
  // Makes the loopback pair (interface_later) and the initiator on it, and
  // waits until the port sees its link up.
  void make_interface();
  // The contract's port details from STMF (port_detail_atom).
  port_detail_list details();
  fc_fixture() : fc_fixture(options{}) {}
  ~fc_fixture();
  // The local port's state (from its actor), waiting until `until` holds (up to 5 s).
  fc::port_stats stats(const std::function<bool(const fc::port_stats&)>& until = {});
};

}  // namespace stmfd::test
