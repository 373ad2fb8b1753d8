// itadm's requests on the admin service with a fake framework: each change
// committed to the file, handed to STMF as a loaded config, and each bad
// input refused with its code, leaving the file as it was.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/unit/actors/admin/admin_test_util.hpp"

using namespace stmfd;
using namespace stmfd::admin;
using namespace stmfd::admin::test;

namespace {
std::string str(capnp::Text::Reader t) { return {t.cStr(), t.size()}; }

// "127.0.0.1:<a port free now>".
std::string free_portal() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return "127.0.0.1:" + std::to_string(ntohs(a.sin_port));
}
}  // namespace

TEST_CASE("itadm_create_tpg_and_target_commit_and_reconfigure", "[admin][itadm]") {
  service_fixture f;
  std::string portal = free_portal();
  REQUIRE(f.svc->create_tpg({"tpg1", 0, {portal}}).ok());
  REQUIRE(f.stmf.reconfigured.size() == 1);
  auto groups = f.stmf.reconfigured.back()->root().getPortalGroups();
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].getTag() == 2);  // the lowest free from 2
  target_entry t;
  t.name = "iqn.2026-11.t:b";
  t.portal_groups = {"tpg1"};
  t.method = "chap";
  std::string name;
  REQUIRE(f.svc->create_target(t, name).ok());
  CHECK(name == "iqn.2026-11.t:b");
  auto cfg = f.stmf.reconfigured.back()->root();
  REQUIRE(cfg.getTargets().size() == 2);
  auto b = cfg.getTargets()[1];
  CHECK(b.getTpgt() == 2);
  CHECK(str(b.getPortals()[0]) == portal);
  CHECK(str(b.getAuth().getMethod()) == "chap");
  // The file holds it: a new service over it sees the same target.
  fake_stmf other;
  admin_service again(f.path, read_file(f.path), other);
  target_entry seen;
  REQUIRE(again.target_settings("IQN.2026-11.T:B", seen));
  CHECK(seen.portal_groups == std::vector<std::string>{"tpg1"});
  // A generated name under the naming authority.
  target_entry g;
  g.portal_groups = {"tpg1"};
  REQUIRE(f.svc->create_target(g, name).ok());
  CHECK(name.rfind("iqn.2026-11.org.stmfd:02:", 0) == 0);
}

TEST_CASE("itadm_bad_input_changes_nothing", "[admin][itadm]") {
  service_fixture f;
  std::string portal = free_portal();
  REQUIRE(f.svc->create_tpg({"tpg1", 0, {portal}}).ok());
  std::string before = read_file(f.path);
  size_t pushes = f.stmf.reconfigured.size();
  std::string name;
  auto target = [](std::string n, std::vector<std::string> tpgs) {
    target_entry t;
    t.name = std::move(n);
    t.portal_groups = std::move(tpgs);
    return t;
  };
  CHECK(f.svc->create_target(target("iqn.bad", {"tpg1"}), name).code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->create_target(target("eui.123", {"tpg1"}), name).code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->create_target(target("iqn.2026-11.t:a", {"tpg1"}), name).code == error_code::ALREADY_EXISTS);
  CHECK(f.svc->create_target(target("iqn.2026-11.t:c", {"nope"}), name).code == error_code::NOT_FOUND);
  CHECK(f.svc->create_target(target("iqn.2026-11.t:c", {}), name).code == error_code::NOT_FOUND);  // no "default"
  CHECK(f.svc->create_tpg({"tpg2", 0, {"192.0.2.1:3260"}}).code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->create_tpg({"tpg2", 0, {portal}}).code == error_code::CONFLICT);
  CHECK(f.svc->create_tpg({"tpg1", 0, {"127.0.0.2:5"}}).code == error_code::ALREADY_EXISTS);
  CHECK(f.svc->create_tpg({"bad name", 0, {"127.0.0.2:5"}}).code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->create_initiator({"iqn.2026-11.i:x", "", "short"}).code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->create_initiator({"iqn.2026-11.i:x", "", "seventeen-bytes-1"}).code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->create_initiator({"nobody", "", "twelve-bytes"}).code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->delete_target("iqn.2026-11.t:none", false).code == error_code::NOT_FOUND);
  CHECK(f.svc->modify_defaults("radius", "").code == error_code::INVALID_ARGUMENT);
  CHECK(read_file(f.path) == before);
  CHECK(f.stmf.reconfigured.size() == pushes);
  // A target bound to the group keeps it from being deleted.
  REQUIRE(f.svc->create_target(target("iqn.2026-11.t:c", {"tpg1"}), name).ok());
  before = read_file(f.path);
  CHECK(f.svc->delete_tpg("tpg1").code == error_code::CONFLICT);
  CHECK(read_file(f.path) == before);
}

TEST_CASE("itadm_delete_target_with_sessions_needs_force", "[admin][itadm]") {
  service_fixture f;
  port_summary p;
  p.port.target_name = "iqn.2026-11.t:a";
  p.sessions = 2;
  f.stmf.port_list = {p};
  std::string before = read_file(f.path);
  auto st = f.svc->delete_target("iqn.2026-11.t:a", false);
  CHECK(st.code == error_code::CONFLICT);
  CHECK(st.message.find("2 session(s)") != std::string::npos);
  CHECK(read_file(f.path) == before);
  REQUIRE(f.svc->delete_target("iqn.2026-11.t:a", true).ok());
  CHECK(f.stmf.reconfigured.back()->root().getTargets().size() == 0);
  CHECK(f.svc->set_target_online("iqn.2026-11.t:a", false).code == error_code::NOT_FOUND);
}

TEST_CASE("itadm_initiators_and_defaults", "[admin][itadm]") {
  service_fixture f;
  REQUIRE(f.svc->create_initiator({"iqn.2026-11.i:x", "xuser", "twelve-bytes"}).ok());
  CHECK(f.svc->create_initiator({"IQN.2026-11.I:X", "", "twelve-bytes"}).code == error_code::INVALID_ARGUMENT);
  CHECK(f.svc->create_initiator({"iqn.2026-11.i:x", "", "twelve-bytes"}).code == error_code::ALREADY_EXISTS);
  REQUIRE(f.svc->modify_initiator({"iqn.2026-11.i:x", "", "another-secret"}).ok());
  std::vector<initiator_entry> recs;
  f.svc->list_initiators(recs);
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].chap_user == "xuser");
  CHECK(recs[0].chap_secret == "another-secret");
  REQUIRE(f.svc->modify_defaults("chap", "chap").ok());
  auto d = f.stmf.reconfigured.back()->root().getIscsiDefaults();
  CHECK(str(d.getAuth()) == "chap");
  CHECK(str(d.getDiscoveryAuth()) == "chap");
  REQUIRE(f.svc->delete_initiator("iqn.2026-11.i:x").ok());
  CHECK(f.svc->delete_initiator("iqn.2026-11.i:x").code == error_code::NOT_FOUND);
  REQUIRE(f.svc->set_target_online("iqn.2026-11.t:a", false).ok());
  CHECK(f.stmf.target_online_calls.back() == std::make_pair(std::string("iqn.2026-11.t:a"), false));
}

TEST_CASE("itadm_delete_target_refused_when_sessions_cannot_be_counted", "[admin][itadm]") {
  service_fixture f;
  f.stmf.listing_error = "the framework did not answer: request_timeout";
  std::string before = read_file(f.path);
  auto st = f.svc->delete_target("iqn.2026-11.t:a", false);
  CHECK(st.code == error_code::FAILED);
  CHECK(st.message.find("cannot count the sessions") != std::string::npos);
  CHECK(read_file(f.path) == before);
  session_listing sessions;
  CHECK(f.svc->list_sessions("iqn.2026-11.t:a", sessions).code == error_code::FAILED);
}
