// The provider registry STMF starts LUs and ports through.
#include <catch2/catch.hpp>

#include <caf/all.hpp>
#include <capnp/message.h>

#include "actors/stmf/providers.hpp"
#include "plugins/lu/sbd/provider.hpp"
#include "plugins/port/iscsi/provider.hpp"

using namespace stmfd;

TEST_CASE("provider registry refuses duplicates and other interface versions", "[providers]") {
  provider_registry reg;
  REQUIRE(reg.add(sbd::provider()));
  CHECK_FALSE(reg.add(sbd::provider()));  // one "sbd"
  auto future = sbd::provider();
  future.name = "tape";
  future.version = lu_interface_version + 1;
  CHECK_FALSE(reg.add(future));
  CHECK(reg.lu("sbd") != nullptr);
  CHECK(reg.lu("tape") == nullptr);
  lu_provider empty{"empty", lu_interface_version, {}};
  CHECK_FALSE(reg.add(empty));  // no make function

  auto ctx = std::make_shared<iscsi::port_context>(iscsi::target_directory({}), iscsi::port_settings{},
                                                   std::vector<std::string>{"127.0.0.1:3260"});
  REQUIRE(reg.add(iscsi::provider(ctx)));
  CHECK_FALSE(reg.add(iscsi::provider(ctx)));
  REQUIRE(reg.ports().size() == 1);
  CHECK(reg.ports()[0].name == "iscsi");
}

TEST_CASE("registry numbers local ports across providers and has them described", "[providers]") {
  iscsi::target_port a, b;
  a.info.name = "iqn.2026-11.org.stmfd:a";
  a.info.tpgt = 1;
  b.info.name = "iqn.2026-11.org.stmfd:b";
  b.info.tpgt = 2;
  auto ctx = std::make_shared<iscsi::port_context>(iscsi::target_directory({a, b}), iscsi::port_settings{},
                                                   std::vector<std::string>{"127.0.0.1:3260"});
  provider_registry reg;
  port_provider other;
  other.name = "fc-test";
  other.ports.push_back(local_port{transport::fc, "wwn.2100001b32000001", 0, 1, {}});
  other.spawn = [](caf::local_actor&, const port_start&) { return caf::actor{}; };
  REQUIRE(reg.add(std::move(other)));
  REQUIRE(reg.add(iscsi::provider(ctx)));
  auto ports = reg.local_ports();
  REQUIRE(ports.size() == 3);
  CHECK(ports[0].relative_port_id == 1);
  CHECK(ports[1].relative_port_id == 2);
  CHECK(ports[2].relative_port_id == 3);
  CHECK(ports[0].designators.empty());  // that provider describes nothing
  // iSCSI: SCSI name string "<name>,t,0x0001" (type 8, target port, iSCSI protocol) first.
  auto& d = ports[1].designators;
  REQUIRE(d.size() > 8);
  CHECK(d[0] == 0x53);  // protocol identifier 5 (iSCSI), code set 3 (UTF-8)
  CHECK(d[1] == 0x98);  // PIV, association target port, type SCSI name string
  std::string name(reinterpret_cast<const char*>(&d[4]), 32);
  CHECK(name.rfind("iqn.2026-11.org.stmfd:a,t,0x0001", 0) == 0);
}

TEST_CASE("registry keeps a port's link state from its provider's reports", "[providers]") {
  provider_registry reg;
  port_provider fc;
  fc.name = "fc-test";
  fc.ports.push_back(local_port{transport::fc, "wwn.2100001b32000001", 0, 2, {}});
  fc.spawn = [](caf::local_actor&, const port_start&) { return caf::actor{}; };
  fc.reconfigure = [](wire::cfg::Config::Reader) {
    return std::vector<local_port>{local_port{transport::fc, "wwn.2100001b32000001", 0, 2, {}}};
  };
  REQUIRE(reg.add(std::move(fc)));
  REQUIRE(reg.local_ports()[0].link_up);  // until a report says otherwise
  CHECK(reg.set_link(1, false));
  CHECK_FALSE(reg.set_link(1, false));  // no change
  CHECK_FALSE(reg.set_link(7, true));   // no such port
  CHECK_FALSE(reg.local_ports()[0].link_up);
  CHECK(reg.local_ports()[0].online);  // the administrator's state is another thing
  // A live reconfig keeps it for the port it keeps.
  capnp::MallocMessageBuilder b;
  REQUIRE(reg.reconfigure(b.initRoot<wire::cfg::Config>().asReader()));
  CHECK_FALSE(reg.local_ports()[0].link_up);
  CHECK(reg.set_link(1, true));
  CHECK(reg.local_ports()[0].link_up);
}
