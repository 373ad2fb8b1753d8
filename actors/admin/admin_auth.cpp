#include "actors/admin/admin_auth.hpp"

#include <nettle/memops.h>
#include <nettle/sha2.h>

#include <capnp/dynamic.h>
#include <capnp/schema.h>

#include "actors/common/log.hpp"

namespace stmfd::admin {
namespace {

using namespace wire::admin;

void sha256(const std::string& s, uint8_t out[32]) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, s.size(), reinterpret_cast<const uint8_t*>(s.data()));
  sha256_digest(&ctx, 32, out);
}

constexpr uint16_t authenticate_method = 0;  // Admin.authenticate @0

class auth_gate final : public capnp::Capability::Server {
 public:
  auth_gate(Admin::Server& inner, const admin_token& token, login_throttle* throttle, std::string peer)
      : inner_(inner), token_(token), throttle_(throttle), peer_(std::move(peer)) {}

  DispatchCallResult dispatchCall(uint64_t interface_id, uint16_t method_id,
                                  capnp::CallContext<capnp::AnyPointer, capnp::AnyPointer> context) override {
    const uint64_t admin_id = capnp::typeId<Admin>();
    if (interface_id == admin_id && method_id == authenticate_method) return authenticate(context);
    if (authenticated_ || interface_id != admin_id)
      return static_cast<capnp::Capability::Server&>(inner_).dispatchCall(interface_id, method_id, context);
    deny(method_id, context);
    return {kj::READY_NOW, false};
  }

 private:
  DispatchCallResult authenticate(capnp::CallContext<capnp::AnyPointer, capnp::AnyPointer>& context) {
    auto token = context.getParams().getAs<Admin::AuthenticateParams>().getToken();
    auto status = context.getResults().initAs<Admin::AuthenticateResults>().initStatus();
    auto now = login_throttle::clock::now();
    if (throttle_) {
      auto wait = throttle_->locked_for(peer_, now);
      if (wait.count() > 0) {
        authenticated_ = false;
        status.setCode(ErrorCode::PERMISSION_DENIED);
        status.setMessage("too many failed admin logins from " + peer_ + ": try again in " +
                          std::to_string((wait.count() + 999) / 1000) + " s");
        log::warn("admin: authenticate from {} refused: locked out for {} ms more", peer_, wait.count());
        return {kj::READY_NOW, false};
      }
    }
    if (token_.matches(std::string(token.cStr(), token.size()))) {
      authenticated_ = true;
      status.setCode(ErrorCode::OK);
      if (throttle_) throttle_->succeeded(peer_);
    } else {
      if (throttle_) throttle_->failed(peer_, now);
      log::warn("admin: a wrong admin token from {}", peer_.empty() ? std::string("a TCP client") : peer_);
      // A wrong token also ends an earlier authentication on this connection.
      authenticated_ = false;
      status.setCode(ErrorCode::PERMISSION_DENIED);
      status.setMessage("the admin token is not valid");
    }
    return {kj::READY_NOW, false};
  }

  // Every Admin result struct has `status @0 :Status`: fill it through the
  // schema so that no method can slip past the gate.
  static void deny(uint16_t method_id, capnp::CallContext<capnp::AnyPointer, capnp::AnyPointer>& context) {
    auto schema = capnp::Schema::from<Admin>();
    for (auto m : schema.getMethods()) {
      if (m.getOrdinal() != method_id) continue;
      auto results = context.getResults().initAs<capnp::DynamicStruct>(m.getResultType());
      auto status = results.init("status").as<Status>();
      status.setCode(ErrorCode::PERMISSION_DENIED);
      status.setMessage(std::string("not authenticated: call authenticate with the admin token first (") +
                        m.getProto().getName().cStr() + " refused)");
      return;
    }
    KJ_FAIL_REQUIRE("no such Admin method", method_id);
  }

  Admin::Server& inner_;
  const admin_token& token_;
  login_throttle* throttle_;
  std::string peer_;
  bool authenticated_ = false;
};

}  // namespace

admin_token::admin_token(const std::string& token) { sha256(token, digest_); }

bool admin_token::matches(const std::string& candidate) const {
  uint8_t d[32];
  sha256(candidate, d);
  return memeql_sec(d, digest_, sizeof d) != 0;
}

kj::Own<capnp::Capability::Server> make_auth_gate(Admin::Server& inner, const admin_token& token,
                                                  login_throttle* throttle, std::string peer) {
  return kj::heap<auth_gate>(inner, token, throttle, std::move(peer));
}

}  // namespace stmfd::admin
