// Link services of the FC port provider over the loopback HBA (FC-LS-3):
// FLOGI, PLOGI, PRLI/PRLO, ADISC, RTV, RLS, ECHO, LOGO, LS_RJT reasons, and
// a port whose link goes down logging its nexuses out.
#include "tests/actors/fc/fc_fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using namespace stmfd::fc;

namespace {

els::ls_rjt rjt_of(const std::vector<uint8_t>& reply) {
  auto r = els::decode_ls_rjt(reply.data(), reply.size());
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("fc_flogi_plogi_prli_are_accepted_with_the_ports_parameters", "[actors][fc][els]") {
  fc_fixture f;
  auto flogi = f.ini->els(els::encode(f.ini->login_payload(els::cmd::flogi)), fabric_login_server);
  auto fl = els::decode_login(flogi.data(), flogi.size());
  REQUIRE(fl);
  CHECK(fl->code == els::cmd::ls_acc);
  CHECK((fl->common.features & els::feature::f_port) == 0);  // an N_Port: point-to-point
  CHECK(fl->port_name == fc_target_wwpn);
  CHECK(fl->node_name == fc_target_wwnn);

  auto plogi = f.ini->els(els::encode(f.ini->login_payload(els::cmd::plogi)));
  auto pl = els::decode_login(plogi.data(), plogi.size());
  REQUIRE(pl);
  CHECK(pl->code == els::cmd::ls_acc);
  CHECK(pl->class3.valid());
  CHECK(pl->common.rx_size == max_payload);
  CHECK(f.stats().rports == 1);

  els::prli req;
  req.pages.push_back(els::prli_page{type::fcp, 0, els::page_flag::image_pair, 0, 0, 0,
                                     els::fcp_param::initiator | els::fcp_param::confirmed_completion |
                                         els::fcp_param::retry | els::fcp_param::read_xfer_rdy_disabled});
  auto prli = f.ini->els(els::encode(req));
  auto acc = els::decode_prli(prli.data(), prli.size());
  REQUIRE(acc);
  CHECK(acc->code == els::cmd::ls_acc);
  REQUIRE(acc->pages.size() == 1);
  auto& pg = acc->pages[0];
  CHECK(pg.response == els::prli_response::executed);
  CHECK((pg.flags & els::page_flag::image_pair) != 0);
  CHECK((pg.params & els::fcp_param::target) != 0);
  CHECK((pg.params & els::fcp_param::initiator) == 0);
  CHECK((pg.params & els::fcp_param::confirmed_completion) != 0);  // negotiated: the initiator allowed it
  CHECK((pg.params & els::fcp_param::retry) == 0);                 // FCP retry (REC/SRR) is not offered
  CHECK((pg.params & els::fcp_param::read_xfer_rdy_disabled) != 0);

  // A page of another FC-4 type is precluded; the FCP page still executes.
  els::prli two = req;
  two.pages.insert(two.pages.begin(), els::prli_page{0x05, 0, els::page_flag::image_pair, 0, 0, 0, 0});
  auto r2 = f.ini->els(els::encode(two));
  auto a2 = els::decode_prli(r2.data(), r2.size());
  REQUIRE(a2);
  REQUIRE(a2->pages.size() == 2);
  CHECK(a2->pages[0].response == els::prli_response::precluded);
  CHECK(a2->pages[1].response == els::prli_response::executed);
}

TEST_CASE("fc_adisc_rtv_rls_echo_answer_a_logged_in_port", "[actors][fc][els]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  auto adisc = f.ini->els(els::encode(els::adisc{els::cmd::adisc, 0, fc_initiator_wwpn, 1, f.ini->id()}));
  auto a = els::decode_adisc(adisc.data(), adisc.size());
  REQUIRE(a);
  CHECK(a->code == els::cmd::ls_acc);
  CHECK(a->port_name == fc_target_wwpn);
  CHECK(a->node_name == fc_target_wwnn);
  CHECK(a->port_id == f.pair.target->port_id());

  auto rtv = f.ini->els(els::command_only(els::cmd::rtv));
  auto t = els::decode_rtv_accept(rtv.data(), rtv.size());
  REQUIRE(t);
  CHECK(rtv[0] == els::cmd::ls_acc);
  CHECK(t->e_d_tov == 2000);

  auto rls = f.ini->els(els::encode(els::rls_request{f.pair.target->port_id()}));
  REQUIRE(rls.size() == 28);
  CHECK(rls[0] == els::cmd::ls_acc);
  auto wrong = f.ini->els(els::encode(els::rls_request{0x123456}));
  CHECK(rjt_of(wrong).explanation == els::explain::invalid_port_id);

  std::vector<uint8_t> echo = {els::cmd::echo, 0, 0, 0, 'f', 'c', 'e', 'c', 'h', 'o', '!', '!'};
  auto e = f.ini->els(echo);
  REQUIRE(e.size() == echo.size());
  CHECK(e[0] == els::cmd::ls_acc);
  CHECK(std::equal(e.begin() + 4, e.end(), echo.begin() + 4));

  CHECK(f.ini->els(els::command_only(els::cmd::rrq))[0] == els::cmd::ls_acc);
}

TEST_CASE("fc_unknown_and_unsupported_els_get_ls_rjt_with_the_right_reason", "[actors][fc][els]") {
  fc_fixture f;
  // Before PLOGI: N_Port login required.
  auto early = f.ini->els(els::command_only(els::cmd::rtv));
  CHECK(rjt_of(early).reason == els::reason::unable);
  CHECK(rjt_of(early).explanation == els::explain::login_required);
  REQUIRE(f.ini->login());
  auto unknown = f.ini->els(els::command_only(0x7E));
  CHECK(rjt_of(unknown).reason == els::reason::invalid_command);
  auto rec = f.ini->els(els::command_only(els::cmd::rec));
  CHECK(rjt_of(rec).reason == els::reason::not_supported);
  CHECK(rjt_of(rec).explanation == els::explain::not_supported);
  // Truncated payloads: protocol error, invalid payload length.
  auto shortp = els::encode(f.ini->login_payload(els::cmd::plogi));
  shortp.resize(60);
  auto bad = f.ini->els(shortp);
  CHECK(rjt_of(bad).reason == els::reason::protocol_error);
  CHECK(rjt_of(bad).explanation == els::explain::payload_length);
  auto badprli = f.ini->els({els::cmd::prli, 16, 0, 40});
  CHECK(rjt_of(badprli).explanation == els::explain::payload_length);
  // A PLOGI without class 3 is refused.
  auto noclass = f.ini->login_payload(els::cmd::plogi);
  noclass.class3.service_options = 0;
  CHECK(rjt_of(f.ini->els(els::encode(noclass))).explanation == els::explain::service_options);
  // The earlier login survives all of this.
  auto r = f.ini->command({0x00}, 0, false, false);  // TEST UNIT READY
  REQUIRE(r.rsp);
  CHECK(r.rsp->status == 0);
}

TEST_CASE("fc_logo_and_prlo_end_the_nexus", "[actors][fc][els]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  els::prli prlo;
  prlo.code = els::cmd::prlo;
  prlo.pages.push_back(els::prli_page{type::fcp, 0, 0, 0, 0, 0, 0});
  auto r = f.ini->els(els::encode(prlo));
  auto acc = els::decode_prli(r.data(), r.size());
  REQUIRE(acc);
  CHECK(acc->code == els::cmd::ls_acc);
  // No image pair any more: FCP_CMND is dropped (no answer).
  uint16_t ox = f.ini->send_command({0x00}, 0, false, false);
  CHECK_FALSE(f.ini->next_of(ox, std::chrono::milliseconds(300)));
  CHECK(f.stats().rports == 1);  // PLOGI still stands

  auto logo = f.ini->els(els::encode(els::logo{f.ini->id(), fc_initiator_wwpn}));
  REQUIRE_FALSE(logo.empty());
  CHECK(logo[0] == els::cmd::ls_acc);
  CHECK(f.stats([](const port_stats& s) { return s.rports == 0; }).rports == 0);
  CHECK(rjt_of(f.ini->els(els::command_only(els::cmd::rtv))).explanation == els::explain::login_required);
}

TEST_CASE("fc_a_new_flogi_or_plogi_ends_the_earlier_login", "[actors][fc][els]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  REQUIRE(f.ini->command({0x00}, 0, false, false).rsp);
  // PLOGI again: the old login (and its image pair) ends, a new one starts.
  auto plogi = f.ini->els(els::encode(f.ini->login_payload(els::cmd::plogi)));
  REQUIRE_FALSE(plogi.empty());
  CHECK(plogi[0] == els::cmd::ls_acc);
  CHECK(f.stats().rports == 1);
  uint16_t ox = f.ini->send_command({0x00}, 0, false, false);  // no PRLI on the new login yet
  CHECK_FALSE(f.ini->next_of(ox, std::chrono::milliseconds(200)));
  // FLOGI again: the port has left the link; nothing of it stays logged in.
  auto flogi = f.ini->els(els::encode(f.ini->login_payload(els::cmd::flogi)), fabric_login_server);
  REQUIRE_FALSE(flogi.empty());
  CHECK(flogi[0] == els::cmd::ls_acc);
  CHECK(f.stats([](const port_stats& s) { return s.rports == 0; }).rports == 0);
  REQUIRE(f.ini->login());
  CHECK(f.ini->command({0x00}, 0, false, false).rsp->status == 0);
}

TEST_CASE("fc_link_down_logs_every_remote_port_out", "[actors][fc][els]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  REQUIRE(f.stats().rports == 1);
  f.pair.set_link(false);
  auto s = f.stats([](const port_stats& x) { return !x.link_up && x.rports == 0; });
  CHECK(s.rports == 0);
  f.pair.set_link(true);
  f.stats([](const port_stats& x) { return x.link_up; });
  REQUIRE(f.ini->login());  // a fresh login after the link returns
  auto r = f.ini->command({0x00}, 0, false, false);
  REQUIRE(r.rsp);
  CHECK(r.rsp->status == 0);
}

TEST_CASE("fc_frames_with_optional_headers_or_no_login_are_dropped", "[actors][fc][els]") {
  fc_fixture f;
  uint64_t before = f.stats().dropped;
  uint16_t ox = f.ini->send_command({0x00}, 0, false, false);  // no PLOGI yet
  CHECK_FALSE(f.ini->next_of(ox, std::chrono::milliseconds(200)));
  REQUIRE(f.ini->login());
  frame odd;
  odd.hdr.r_ctl = r_ctl::fcp_cmnd;
  odd.hdr.type = type::fcp;
  odd.hdr.d_id = f.pair.target->port_id();
  odd.hdr.df_ctl = 0x40;  // an ESP header FCP never uses
  odd.hdr.ox_id = 0x7777;
  odd.payload = fcp::encode(fcp::cmnd{});
  f.ini->send(odd);
  frame huge = odd;
  huge.hdr.df_ctl = 0;
  huge.hdr.ox_id = 0x7778;
  huge.payload.assign(max_payload + 4, 0);  // more than any FC frame carries
  f.ini->send(huge);
  CHECK_FALSE(f.ini->next_of(0x7777, std::chrono::milliseconds(200)));
  CHECK_FALSE(f.ini->next_of(0x7778, std::chrono::milliseconds(50)));
  CHECK(f.stats().dropped >= before + 3);
}
