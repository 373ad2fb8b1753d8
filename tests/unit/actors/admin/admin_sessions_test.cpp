// admin_service::list_sessions / logout_session (wire/admin.capnp
// listSessions, logoutSession): a target is matched without regard to case
// and must exist (notFound), STMF's listing is passed through, an unknown
// nexus is notFound, STMF not answering is failed. And the RPC's
// SessionInfo carries every field of a detailed entry.
#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "actors/admin/admin_rpc_ops.hpp"
#include "actors/admin/admin_service.hpp"
#include "admin_test_util.hpp"

using namespace stmfd;
using namespace stmfd::admin;
using namespace stmfd::admin::test;

namespace {

const std::string target = "iqn.2026-11.org.stmfd:t1";

void setup(service_fixture& f) {
  port_summary p;
  p.port.kind = transport::iscsi;
  p.port.target_name = target;
  p.port.relative_port_id = 1;
  f.stmf.port_list = {p};
  f.stmf.sessions_error.clear();
  session_listing_entry e;
  e.nexus = 4;
  e.initiator = {transport::iscsi, "iqn.2026-11.org.example:a", "iqn.2026-11.org.example:a,i,0x800000000001"};
  e.target = target;
  e.relative_port_id = 1;
  e.luns = {0, 7};
  e.detailed = true;
  e.detail.session_id = "isid=800000000001,tsih=3";
  e.detail.tpgt = 2;
  e.detail.connections = {{0, "127.0.0.1:3260", "127.0.0.1:40000"}};
  e.detail.parameters = {{"HeaderDigest", "CRC32C"}, {"MaxBurstLength", "262144"}};
  e.detail.login_time_ns = 1234;
  f.stmf.session_list = {e};
}

}  // namespace

TEST_CASE("list_sessions passes STMF's listing, by target", "[admin][sessions]") {
  service_fixture f;
  setup(f);
  session_listing out;
  REQUIRE(f.svc->list_sessions("", out).ok());
  CHECK(out.size() == 1);
  REQUIRE(f.svc->list_sessions("IQN.2026-11.ORG.STMFD:T1", out).ok());  // names fold case
  CHECK(f.stmf.sessions_asked.back() == target);
  CHECK(out.size() == 1);
  auto st = f.svc->list_sessions("iqn.2026-11.org.stmfd:none", out);
  CHECK(st.code == error_code::NOT_FOUND);
  CHECK(st.message.find("no target") != std::string::npos);
  f.stmf.sessions_error = "the framework did not answer: timeout";
  CHECK(f.svc->list_sessions("", out).code == error_code::FAILED);
}

TEST_CASE("logout_session asks STMF; an unknown nexus is notFound", "[admin][sessions]") {
  service_fixture f;
  setup(f);
  REQUIRE(f.svc->logout_session(4).ok());
  CHECK(f.stmf.logged_out == std::vector<uint64_t>{4});
  auto st = f.svc->logout_session(5);
  CHECK(st.code == error_code::NOT_FOUND);
  CHECK(st.message.find("nexus id 5") != std::string::npos);
  f.stmf.sessions_error = "the framework did not answer: timeout";
  CHECK(f.svc->logout_session(4).code == error_code::FAILED);
}

TEST_CASE("listSessions results carry every detail", "[admin][sessions]") {
  service_fixture f;
  setup(f);
  capnp::MallocMessageBuilder params_msg, results_msg;
  auto params = params_msg.initRoot<wire::admin::Admin::ListSessionsParams>();
  params.setTarget(target);
  auto results = results_msg.initRoot<wire::admin::Admin::ListSessionsResults>();
  serve_list_sessions(*f.svc, params.asReader(), results);
  REQUIRE(results.getStatus().getCode() == wire::admin::ErrorCode::OK);
  REQUIRE(results.getSessions().size() == 1);
  auto s = results.getSessions()[0];
  CHECK(s.getNexus() == 4);
  CHECK(str(s.getInitiatorName()) == "iqn.2026-11.org.example:a");
  CHECK(str(s.getInitiatorPort()) == "iqn.2026-11.org.example:a,i,0x800000000001");
  CHECK(str(s.getTarget()) == target);
  CHECK(s.getKind() == wire::admin::PortKind::ISCSI);
  CHECK(s.getRelativePortId() == 1);
  REQUIRE(s.getLuns().size() == 2);
  CHECK(s.getLuns()[1] == 7);
  CHECK(s.getDetailed());
  CHECK(str(s.getSessionId()) == "isid=800000000001,tsih=3");
  CHECK(s.getTpgt() == 2);
  CHECK(s.getLoginTimeNs() == 1234);
  CHECK(str(s.getPeer()) == "127.0.0.1:40000");
  REQUIRE(s.getConnections().size() == 1);
  CHECK(str(s.getConnections()[0].getLocal()) == "127.0.0.1:3260");
  REQUIRE(s.getParameters().size() == 2);
  CHECK(str(s.getParameters()[0].getKey()) == "HeaderDigest");
  CHECK(str(s.getParameters()[0].getValue()) == "CRC32C");
}
