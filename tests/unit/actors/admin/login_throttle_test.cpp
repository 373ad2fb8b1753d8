// Rate limiting of failed admin token logins (login_throttle.hpp): a few
// failures per address are free, then lockouts that double up to a cap; a
// success forgets the failures; other addresses are not affected; the
// remembered addresses are bounded. And through the token gate: a locked
// out client is refused even with the right token, until the lockout ends.
#include <capnp/capability.h>
#include <kj/async.h>

#include <catch2/catch.hpp>
#include <thread>

#include "actors/admin/admin_auth.hpp"
#include "actors/admin/login_throttle.hpp"

using namespace stmfd::admin;
using namespace std::chrono_literals;
using stmfd::wire::admin::Admin;
using stmfd::wire::admin::ErrorCode;

TEST_CASE("login throttle locks an address after a few failures, growing", "[admin][auth]") {
  login_throttle t;
  auto t0 = login_throttle::clock::now();
  const std::string a = "192.0.2.1", b = "192.0.2.2";
  t.failed(a, t0);
  t.failed(a, t0);
  CHECK(t.locked_for(a, t0) == 0ms);  // two failures are free
  t.failed(a, t0);
  CHECK(t.locked_for(a, t0) == 1000ms);  // the third locks for 1 s
  CHECK(t.locked_for(a, t0 + 400ms) == 600ms);
  CHECK(t.locked_for(b, t0) == 0ms);  // another address is not affected
  auto t1 = t0 + 1001ms;
  CHECK(t.locked_for(a, t1) == 0ms);
  t.failed(a, t1);
  CHECK(t.locked_for(a, t1) == 2000ms);  // doubled
  auto t2 = t1 + 2001ms;
  t.failed(a, t2);
  CHECK(t.locked_for(a, t2) == 4000ms);
  auto t3 = t2;
  for (int i = 0; i < 20; ++i) {
    t3 += 61s;
    t.failed(a, t3);
  }
  CHECK(t.locked_for(a, t3) == 60000ms);  // capped
  t.succeeded(a);
  CHECK(t.locked_for(a, t3) == 0ms);
  t.failed(a, t3);
  CHECK(t.locked_for(a, t3) == 0ms);  // counting starts over
}

TEST_CASE("login throttle forgets old failures and bounds its memory", "[admin][auth]") {
  login_throttle::limits l;
  l.max_peers = 8;
  login_throttle t(l);
  auto t0 = login_throttle::clock::now();
  t.failed("198.51.100.1", t0);
  t.failed("198.51.100.1", t0);
  // Ten minutes later the two failures are forgotten: two more are free.
  auto later = t0 + 601s;
  t.failed("198.51.100.1", later);
  t.failed("198.51.100.1", later);
  CHECK(t.locked_for("198.51.100.1", later) == 0ms);
  for (int i = 0; i < 100; ++i) t.failed("203.0.113." + std::to_string(i), later + std::chrono::milliseconds(i));
  CHECK(t.remembered() <= 8);
}

TEST_CASE("the gate refuses a locked-out client even with the right token", "[admin][auth]") {
  kj::EventLoop loop;
  kj::WaitScope ws(loop);
  class ok_admin final : public Admin::Server {
  } inner;
  const std::string good = "0123456789abcdef-the-token";
  admin_token token(good);
  login_throttle::limits l;
  l.first_lockout = 300ms;
  login_throttle throttle(l);
  auto admin = capnp::Capability::Client(make_auth_gate(inner, token, &throttle, "192.0.2.9")).castAs<Admin>();
  auto auth = [&](const std::string& t, std::string* message = nullptr) {
    auto req = admin.authenticateRequest();
    req.setToken(t);
    auto resp = req.send().wait(ws);
    if (message) *message = resp.getStatus().getMessage().cStr();
    return resp.getStatus().getCode();
  };
  // A success does not count against the address.
  CHECK(auth(good) == ErrorCode::OK);
  for (int i = 0; i < 3; ++i) CHECK(auth("wrong-but-long-enough") == ErrorCode::PERMISSION_DENIED);
  std::string msg;
  CHECK(auth(good, &msg) == ErrorCode::PERMISSION_DENIED);
  CHECK(msg.find("too many failed admin logins from 192.0.2.9") != std::string::npos);
  // A second gate for the same address (another connection) is locked too.
  auto other = capnp::Capability::Client(make_auth_gate(inner, token, &throttle, "192.0.2.9")).castAs<Admin>();
  auto req = other.authenticateRequest();
  req.setToken(good);
  CHECK(req.send().wait(ws).getStatus().getCode() == ErrorCode::PERMISSION_DENIED);
  std::this_thread::sleep_for(350ms);
  CHECK(auth(good) == ErrorCode::OK);
}
