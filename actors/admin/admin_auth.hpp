#pragma once
// Token authentication for the admin interface over TCP (wire/admin.capnp
// Admin.authenticate). Each TCP connection gets its own gate in front of
// the shared Admin server: until the client has called `authenticate`
// with the configured token, every other call answers permissionDenied
// and never reaches the server. The Unix socket needs no gate (it is 0600).
#include <memory>
#include <string>

#include <capnp/capability.h>
#include <kj/memory.h>

#include "actors/admin/login_throttle.hpp"
#include "actors/admin/token_file.hpp"
#include "wire/admin.capnp.h"

namespace stmfd::admin {

// The token, kept as its SHA-256 so a comparison takes the same time
// whatever the candidate's length or content (no timing side channel).
class admin_token {
 public:
  explicit admin_token(const std::string& token);
  bool matches(const std::string& candidate) const;

 private:
  uint8_t digest_[32];
};

// A per-connection gate over `inner` (which must outlive it). With a
// throttle (which must outlive it too), failed authenticate calls count
// against `peer` (the client's address without its port) and a locked-out
// peer is refused without its token being checked (login_throttle.hpp).
kj::Own<capnp::Capability::Server> make_auth_gate(wire::admin::Admin::Server& inner, const admin_token& token,
                                                  login_throttle* throttle = nullptr, std::string peer = {});

}  // namespace stmfd::admin
