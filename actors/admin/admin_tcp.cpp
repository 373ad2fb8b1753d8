#include "actors/admin/admin_tcp.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <capnp/rpc-twoparty.h>

#include <fstream>
#include <sstream>

#include "actors/common/log.hpp"

namespace stmfd::admin {
namespace {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

// One client: the RPC server is destroyed before the stream it reads.
struct tcp_client {
  kj::Own<kj::AsyncIoStream> stream;
  kj::Own<capnp::TwoPartyServer> server;
};

// The client's address without its port (what the login throttle counts
// by); "unknown" when the stream has none.
std::string peer_address(kj::AsyncIoStream& stream) {
  sockaddr_storage ss{};
  kj::uint len = sizeof ss;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { stream.getpeername(reinterpret_cast<sockaddr*>(&ss), &len); })) {
    return "unknown";
  }
  char host[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr, host, sizeof host);
  else if (ss.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr, host, sizeof host);
  else
    return "unknown";
  return host;
}

}  // namespace

tcp_admin::tcp_admin(kj::AsyncIoContext& io, wire::admin::Admin::Server& inner)
    : io_(io), inner_(inner), tasks_(*this) {}

tcp_admin::~tcp_admin() = default;

std::string tcp_admin::setup(const tcp_settings& s) {
  std::string error;
  std::string token = read_token_file(s.token_path, error);
  if (token.empty()) return error;
  token_ = std::make_unique<admin_token>(token);
  std::string cert, key;
  if (!read_file(s.certificate_path, cert)) return "cannot read the admin TLS certificate " + s.certificate_path;
  if (!read_file(s.key_path, key)) return "cannot read the admin TLS key " + s.key_path;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                 keypair_ = kj::TlsKeypair{kj::TlsPrivateKey(kj::StringPtr(key.c_str())),
                                           kj::TlsCertificate(kj::StringPtr(cert.c_str()))};
                 kj::TlsContext::Options options;
                 options.useSystemTrustStore = false;
                 KJ_IF_MAYBE (kp, keypair_) {
                   options.defaultKeypair = *kp;
                 }
                 options.timer = io_.provider->getTimer();
                 options.acceptTimeout = 10 * kj::SECONDS;
                 tls_ = kj::heap<kj::TlsContext>(kj::mv(options));
               })) {
    return "admin TLS certificate " + s.certificate_path + " / key " + s.key_path +
           " not usable: " + e->getDescription().cStr();
  }
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                 auto addr = io_.provider->getNetwork().parseAddress(s.listen).wait(io_.waitScope);
                 listener_ = addr->listen();
               })) {
    return "cannot listen for admin clients on " + s.listen + ": " + e->getDescription().cStr();
  }
  return {};
}

unsigned tcp_admin::port() { return listener_ ? listener_->getPort() : 0; }

kj::Promise<void> tcp_admin::run() { return accept_loop(); }

kj::Promise<void> tcp_admin::accept_loop() {
  return listener_->accept().then([this](kj::Own<kj::AsyncIoStream> stream) {
    if (connections_ >= max_connections) {
      log::warn("admin: refused a TCP client: {} connections are open already", max_connections);
    } else {
      ++connections_;
      tasks_.add(serve(kj::mv(stream)).attach(kj::defer([this] { --connections_; })));
    }
    return accept_loop();
  });
}

kj::Promise<void> tcp_admin::serve(kj::Own<kj::AsyncIoStream> stream) {
  std::string peer = peer_address(*stream);
  return tls_->wrapServer(kj::mv(stream)).then([this, peer](kj::Own<kj::AsyncIoStream> tls_stream) {
    auto client = kj::heap<tcp_client>();
    client->stream = kj::mv(tls_stream);
    client->server =
        kj::heap<capnp::TwoPartyServer>(capnp::Capability::Client(make_auth_gate(inner_, *token_, &throttle_, peer)));
    auto done = client->server->accept(*client->stream);
    return done.attach(kj::mv(client));
  });
}

void tcp_admin::taskFailed(kj::Exception&& e) {
  // A client that fails the TLS handshake or drops its connection: its own
  // affair, the listener keeps serving the others.
  log::info("admin: a TCP client's connection ended: {}", std::string(e.getDescription().cStr()));
}

}  // namespace stmfd::admin
