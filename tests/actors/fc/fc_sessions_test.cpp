// The FC provider's side of the session contract
// (actors/contracts/session_detail.hpp), asked through STMF as the admin
// plane does for stmfadm list-session / logout-session: the nexus's
// details from its remote port actor, and a forced logout that sends the
// initiator LOGO (FC-LS-3 4.3.8) and ends the nexus.
#include <thread>

#include "actors/stmf/stmf_admin.hpp"
#include "tests/actors/fc/fc_fixture.hpp"

using namespace stmfd;
using namespace stmfd::test;
using namespace stmfd::fc;

namespace {

// The fixture registers an iSCSI nexus of its own: list the FC port's.
session_listing sessions_of(fc_fixture& f, const std::string& target = wwn_name(fc_target_wwpn)) {
  session_listing out;
  f.stmf->self->request(f.stmf->stmf, std::chrono::seconds(10), get_atom::value, session_detail_atom::value, target)
      .receive([&](session_listing& l) { out = std::move(l); },
               [&](caf::error& e) { FAIL("no session listing: " << to_string(e)); });
  return out;
}

bool logout(fc_fixture& f, uint64_t nexus) {
  bool out = false;
  f.stmf->self->request(f.stmf->stmf, std::chrono::seconds(10), session_logout_atom::value, nexus)
      .receive([&](bool b) { out = b; }, [&](caf::error& e) { FAIL("no logout answer: " << to_string(e)); });
  return out;
}

}  // namespace

TEST_CASE("fc_session_listed_with_details_and_logged_out_with_logo", "[actors][fc][admin]") {
  fc_fixture f;
  REQUIRE(f.ini->login());
  REQUIRE(f.ini->command({0x00}, 0, false, false).rsp);  // the nexus serves

  auto all = sessions_of(f);
  REQUIRE(all.size() == 1);
  auto& s = all[0];
  CHECK(s.nexus != 0);
  CHECK(s.initiator.kind == transport::fc);
  CHECK(s.initiator.initiator_name == wwn_name(fc_initiator_wwpn));
  CHECK(s.target == wwn_name(fc_target_wwpn));
  CHECK(s.luns == std::vector<uint16_t>{0});
  REQUIRE(s.detailed);
  CHECK(s.detail.session_id.rfind("port_id=0000e8,wwnn=", 0) == 0);
  CHECK(s.detail.login_time_ns != 0);
  bool has_rx = false;
  for (auto& [k, v] : s.detail.parameters) has_rx |= k == "ReceiveDataFieldSize" && !v.empty();
  CHECK(has_rx);
  CHECK(sessions_of(f, "wwn.0000000000000001").empty());
  // Every target: the fixture's own nexus too, whose actor (the test's)
  // does not answer: listed with STMF's facts only, after the 2 s limit.
  auto everything = sessions_of(f, "");
  REQUIRE(everything.size() == 2);
  for (auto& e : everything) CHECK(e.detailed == (e.initiator.kind == transport::fc));

  CHECK_FALSE(logout(f, s.nexus + 1000));  // no such nexus
  REQUIRE(logout(f, s.nexus));
  // The initiator receives LOGO naming the target port.
  bool got_logo = false;
  for (int i = 0; i < 10 && !got_logo; ++i) {
    auto fr = f.ini->next(std::chrono::milliseconds(1000));
    if (!fr) continue;
    if (fr->hdr.r_ctl == r_ctl::els_request && !fr->payload.empty() && fr->payload[0] == els::cmd::logo) {
      auto l = els::decode_logo(fr->payload.data(), fr->payload.size());
      REQUIRE(l);
      CHECK(l->port_name == fc_target_wwpn);
      CHECK(l->port_id == 0x0000EF);
      got_logo = true;
    }
  }
  CHECK(got_logo);
  // The nexus ends with it (STMF forgets it once the remote port deregisters).
  for (int i = 0; i < 250 && !sessions_of(f).empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(sessions_of(f).empty());
  // A new login works.
  REQUIRE(f.ini->login());
  CHECK(sessions_of(f).size() == 1);
}
