// The token gate of the TCP admin interface (admin_auth.hpp): nothing but
// authenticate gets through before the right token, every method answers
// permissionDenied, a wrong token ends the authentication.
#include <capnp/capability.h>
#include <kj/async.h>

#include <catch2/catch.hpp>

#include "actors/admin/admin_auth.hpp"

using namespace stmfd::admin;
using stmfd::wire::admin::Admin;
using stmfd::wire::admin::ErrorCode;

namespace {

// Answers listLus with ok and counts the calls that reached it.
class counting_admin final : public Admin::Server {
 public:
  int calls = 0;
  kj::Promise<void> listLus(ListLusContext context) override {
    ++calls;
    context.getResults().initStatus().setCode(ErrorCode::OK);
    return kj::READY_NOW;
  }
};

const std::string good = "0123456789abcdef-the-token";

}  // namespace

TEST_CASE("admin token compares by value", "[admin][auth]") {
  admin_token t(good);
  CHECK(t.matches(good));
  CHECK_FALSE(t.matches(good + "x"));
  CHECK_FALSE(t.matches(""));
  CHECK_FALSE(t.matches("0123456789abcdef-the-tokeN"));
}

TEST_CASE("the gate refuses every call until the token is given", "[admin][auth]") {
  kj::EventLoop loop;
  kj::WaitScope ws(loop);
  counting_admin inner;
  admin_token token(good);
  auto admin = capnp::Capability::Client(make_auth_gate(inner, token)).castAs<Admin>();
  auto list = [&] { return admin.listLusRequest().send().wait(ws).getStatus().getCode(); };
  auto auth = [&](const std::string& t) {
    auto req = admin.authenticateRequest();
    req.setToken(t);
    return req.send().wait(ws).getStatus().getCode();
  };

  CHECK(list() == ErrorCode::PERMISSION_DENIED);
  auto tpg_response = admin.createTpgRequest().send().wait(ws);
  auto tpg = tpg_response.getStatus();
  CHECK(tpg.getCode() == ErrorCode::PERMISSION_DENIED);
  CHECK(std::string(tpg.getMessage().cStr()).find("createTpg") != std::string::npos);
  CHECK(inner.calls == 0);

  CHECK(auth("wrong-but-long-enough") == ErrorCode::PERMISSION_DENIED);
  CHECK(list() == ErrorCode::PERMISSION_DENIED);
  CHECK(inner.calls == 0);

  CHECK(auth(good) == ErrorCode::OK);
  CHECK(list() == ErrorCode::OK);
  CHECK(inner.calls == 1);

  CHECK(auth("wrong-again-and-long") == ErrorCode::PERMISSION_DENIED);
  CHECK(list() == ErrorCode::PERMISSION_DENIED);
  CHECK(inner.calls == 1);
}
