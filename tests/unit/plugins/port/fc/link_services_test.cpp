// The link-service replies of a local port (FC-LS-3, FCP-4 6.3), pure.
#include <catch2/catch.hpp>

#include "plugins/port/fc/link_services.hpp"

using namespace stmfd::fc;

namespace {
local_identity me() { return {0x500A0B0C0D0E0F00, 0x500A0B0C0D0E0F01, 0x0000EF, 2112}; }
els::login_params plogi() {
  els::login_params p;
  p.port_name = 0x2100001B32A0B0C1;
  p.node_name = 0x2000001B32A0B0C1;
  p.common.rx_size = 1024;
  p.class3.service_options = els::class_valid;
  p.class3.rx_size = 2048;
  return p;
}
}  // namespace

TEST_CASE("plogi accept carries the port's names and remembers the remote's", "[fc][els]") {
  auto req = els::encode(plogi());
  els::login_params remote;
  auto r = plogi_reply(me(), req.data(), req.size(), remote);
  REQUIRE(r.accepted);
  auto acc = els::decode_login(r.payload.data(), r.payload.size());
  REQUIRE(acc);
  CHECK(acc->code == els::cmd::ls_acc);
  CHECK(acc->port_name == me().wwpn);
  CHECK(acc->node_name == me().wwnn);
  CHECK(remote.port_name == plogi().port_name);
  CHECK(remote_rx_size(remote) == 1024);  // the smaller of common and class 3
}

TEST_CASE("plogi refusals name the parameter at fault", "[fc][els]") {
  els::login_params remote;
  auto p = plogi();
  p.port_name = 0;
  auto req = els::encode(p);
  auto r = plogi_reply(me(), req.data(), req.size(), remote);
  CHECK_FALSE(r.accepted);
  CHECK(els::decode_ls_rjt(r.payload.data(), r.payload.size())->explanation == els::explain::invalid_port_name);
  p = plogi();
  p.common.rx_size = 128;
  req = els::encode(p);
  r = plogi_reply(me(), req.data(), req.size(), remote);
  CHECK(els::decode_ls_rjt(r.payload.data(), r.payload.size())->explanation == els::explain::rx_size);
}

TEST_CASE("prli without an image pair request establishes none", "[fc][els]") {
  els::prli req;
  req.pages.push_back(els::prli_page{type::fcp, 0, 0, 0, 0, 0, els::fcp_param::initiator});
  auto b = els::encode(req);
  bool pair = true, confirmed = true;
  auto r = prli_reply(b.data(), b.size(), pair, confirmed);
  REQUIRE(r.accepted);
  CHECK_FALSE(pair);
  CHECK_FALSE(confirmed);
  auto acc = els::decode_prli(r.payload.data(), r.payload.size());
  REQUIRE(acc);
  CHECK((acc->pages[0].flags & els::page_flag::image_pair) == 0);
  // Process associators are not used by FCP-4 targets.
  req.pages[0].flags = els::page_flag::image_pair | els::page_flag::originator_pa_valid;
  b = els::encode(req);
  r = prli_reply(b.data(), b.size(), pair, confirmed);
  CHECK_FALSE(pair);
  CHECK(els::decode_prli(r.payload.data(), r.payload.size())->pages[0].response == els::prli_response::no_such_pa);
}

TEST_CASE("reply headers swap the IDs and mark the responder", "[fc][els]") {
  frame_header req;
  req.s_id = 0x0000E8;
  req.d_id = 0x0000EF;
  req.ox_id = 0x1234;
  req.type = type::els;
  auto h = reply_header(req, r_ctl::els_reply, 0x0000EF, 0xFFFF);
  CHECK(h.d_id == 0x0000E8);
  CHECK(h.s_id == 0x0000EF);
  CHECK(h.ox_id == 0x1234);
  CHECK((h.f_ctl & f_ctl::exchange_responder) != 0);
  CHECK((h.f_ctl & f_ctl::last_sequence) != 0);
}

TEST_CASE("echo beyond the frame size and unknown commands are rejected", "[fc][els]") {
  std::vector<uint8_t> big(3000, 0);
  big[0] = els::cmd::echo;
  CHECK_FALSE(echo_reply(big.data(), big.size(), 2112).accepted);
  auto r = unsupported_reply(0x7E);
  CHECK(els::decode_ls_rjt(r.payload.data(), r.payload.size())->reason == els::reason::invalid_command);
  r = unsupported_reply(els::cmd::fdisc);
  CHECK(els::decode_ls_rjt(r.payload.data(), r.payload.size())->reason == els::reason::not_supported);
}
