// admin_service::list_fc_ports (wire/admin.capnp listFcPorts, stmfadm
// list-fc-port): STMF's FC ports in registry order with their provider's
// details, iSCSI ports left out, a port its provider did not report marked
// "unknown"; STMF not answering is an error, not an empty list.
#include <catch2/catch.hpp>

#include "actors/admin/admin_service.hpp"
#include "admin_test_util.hpp"

using namespace stmfd;
using namespace stmfd::admin;
using namespace stmfd::admin::test;

namespace {

port_summary port(transport kind, const std::string& name, uint16_t rel) {
  port_summary p;
  p.port.kind = kind;
  p.port.target_name = name;
  p.port.relative_port_id = rel;
  return p;
}

}  // namespace

TEST_CASE("list_fc_ports joins the registry's FC ports with their details", "[admin][fc]") {
  service_fixture f;
  f.stmf.port_list = {port(transport::iscsi, "iqn.2026-11.t:a", 1), port(transport::fc, "wwn.20000000c0a8fc01", 2),
                      port(transport::fc, "wwn.20000000c0a8fc02", 3)};
  local_port_detail d;
  d.target_name = "wwn.20000000c0a8fc01";
  d.node_name = "wwn.10000000c0a8fc01";
  d.interface = "stmfd-fc0";
  d.driver = "fcoe";
  d.state = "online";
  d.address = 0x00fc01;
  d.remotes.push_back(remote_port_detail{"wwn.2000525400fc0001", "wwn.1000525400fc0001", 0x000001, 7});
  f.stmf.details = {d};

  std::vector<fc_port_listing> out;
  auto st = f.svc->list_fc_ports(out);
  REQUIRE(st.ok());
  REQUIRE(out.size() == 2);
  CHECK(out[0].relative_port_id == 2);
  CHECK(out[0].detail.interface == "stmfd-fc0");
  CHECK(out[0].detail.state == "online");
  CHECK(out[0].detail.address == 0x00fc01);
  REQUIRE(out[0].detail.remotes.size() == 1);
  CHECK(out[0].detail.remotes[0].port_name == "wwn.2000525400fc0001");
  CHECK(out[0].detail.remotes[0].nexus == 7);
  // The provider said nothing of the second port (restarting, say).
  CHECK(out[1].relative_port_id == 3);
  CHECK(out[1].detail.target_name == "wwn.20000000c0a8fc02");
  CHECK(out[1].detail.state == "unknown");
  CHECK(out[1].detail.remotes.empty());
}

TEST_CASE("list_fc_ports fails when the framework does not answer", "[admin][fc]") {
  service_fixture f;
  f.stmf.port_list = {port(transport::fc, "wwn.20000000c0a8fc01", 1)};
  f.stmf.details_error = "the framework did not answer: timeout";
  std::vector<fc_port_listing> out;
  auto st = f.svc->list_fc_ports(out);
  CHECK(st.code == error_code::FAILED);
  CHECK(st.message.find("did not answer") != std::string::npos);
  CHECK(out.empty());
}

TEST_CASE("list_fc_ports with no FC ports is an empty list", "[admin][fc]") {
  service_fixture f;
  f.stmf.port_list = {port(transport::iscsi, "iqn.2026-11.t:a", 1)};
  std::vector<fc_port_listing> out;
  REQUIRE(f.svc->list_fc_ports(out).ok());
  CHECK(out.empty());
}
