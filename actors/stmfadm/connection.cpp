// The daemon connection and the mapping of its answers to exit codes.
#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/compat/tls.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "actors/stmfadm/shell.hpp"

namespace stmfd::stmfadm {

// Members are destroyed bottom-up: the RPC client before the stream, the
// stream before the TLS context and the event loop.
struct connection::state {
  kj::AsyncIoContext io = kj::setupAsyncIo();
  kj::Maybe<kj::TlsCertificate> ca;
  kj::Own<kj::TlsContext> tls;
  kj::Own<kj::AsyncIoStream> stream;
  kj::Own<capnp::TwoPartyClient> client;
  kj::Own<wire::admin::Admin::Client> admin;
};

connection::connection(endpoint ep) : ep_(std::move(ep)) {}
connection::~connection() = default;

kj::WaitScope& connection::wait_scope() {
  if (!state_) state_ = std::make_unique<state>();
  return state_->io.waitScope;
}

kj::Timer& connection::timer() {
  wait_scope();
  return state_->io.provider->getTimer();
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  KJ_REQUIRE(bool(in), "cannot read the CA file", path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "host:port" or "[v6]:port" -> host (for the certificate's name).
std::string host_of(const std::string& remote) {
  if (!remote.empty() && remote[0] == '[') return remote.substr(1, remote.find(']') - 1);
  return remote.substr(0, remote.rfind(':'));
}

}  // namespace

wire::admin::Admin::Client& connection::admin() {
  if (state_ && state_->admin) return *state_->admin;
  auto& ws = wait_scope();
  auto& st = *state_;
  auto& network = st.io.provider->getNetwork();
  if (ep_.remote.empty()) {
    st.stream = network.parseAddress(kj::str("unix:", ep_.socket_path)).wait(ws)->connect().wait(ws);
  } else {
    kj::TlsContext::Options options;
    if (!ep_.ca_file.empty()) {
      st.ca = kj::TlsCertificate(kj::StringPtr(read_file(ep_.ca_file).c_str()));
      options.useSystemTrustStore = false;
      KJ_IF_MAYBE (ca, st.ca) {
        options.trustedCertificates = kj::arrayPtr(ca, 1);
      }
    }
    st.tls = kj::heap<kj::TlsContext>(kj::mv(options));
    auto raw = network.parseAddress(ep_.remote).wait(ws)->connect().wait(ws);
    std::string name = ep_.tls_name.empty() ? host_of(ep_.remote) : ep_.tls_name;
    st.stream = st.tls->wrapClient(kj::mv(raw), name).wait(ws);
  }
  st.client = kj::heap<capnp::TwoPartyClient>(*st.stream);
  auto admin = st.client->bootstrap().castAs<wire::admin::Admin>();
  if (!ep_.remote.empty()) {
    // Authenticate before anything else (wire/admin.capnp Admin.authenticate);
    // without a token the daemon answers every verb permissionDenied.
    if (!ep_.token.empty()) {
      auto req = admin.authenticateRequest();
      req.setToken(ep_.token);
      auto resp = req.send().wait(ws);
      if (resp.getStatus().getCode() != wire::admin::ErrorCode::OK) {
        denied_ = true;
        denied_message_ = resp.getStatus().getMessage().cStr();
        KJ_FAIL_REQUIRE("the daemon refused the token", resp.getStatus().getMessage());
      }
    }
  }
  st.admin = kj::heap<wire::admin::Admin::Client>(kj::mv(admin));
  return *st.admin;
}

int report(const std::string& program, wire::admin::Status::Reader status) {
  using wire::admin::ErrorCode;
  auto code = status.getCode();
  if (code == ErrorCode::OK) return exit_ok;
  std::fprintf(stderr, "%s: %s\n", program.c_str(), status.getMessage().cStr());
  switch (code) {
    case ErrorCode::NOT_FOUND: return exit_not_found;
    case ErrorCode::ALREADY_EXISTS: return exit_exists;
    case ErrorCode::CONFLICT: return exit_conflict;
    case ErrorCode::INVALID_ARGUMENT: return exit_invalid;
    case ErrorCode::NOT_IMPLEMENTED: return exit_not_implemented;
    case ErrorCode::PERMISSION_DENIED: return exit_denied;
    default: return exit_failed;
  }
}

}  // namespace stmfd::stmfadm
