#include "actors/admin/admin_server.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "actors/admin/admin_rpc.hpp"
#include "actors/common/log.hpp"

namespace stmfd::admin {
namespace {

std::string sys_error(const std::string& what) { return what + ": " + std::strerror(errno); }

bool fill_address(sockaddr_un& a, const std::string& path) {
  std::memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof a.sun_path) return false;
  std::memcpy(a.sun_path, path.data(), path.size());
  return true;
}

// Whether a daemon answers on the socket file at `path`.
bool socket_alive(const sockaddr_un& a) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool alive = ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return alive;
}

// A listening socket at `path`, mode 0600, or -1 with `error` set.
int bind_socket(const std::string& path, std::string& error) {
  sockaddr_un a;
  if (!fill_address(a, path)) {
    error = "admin socket path too long: " + path;
    return -1;
  }
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty() && ::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    error = sys_error("cannot create " + dir.string());
    return -1;
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      error = path + " exists and is not a socket";
      return -1;
    }
    if (socket_alive(a)) {
      error = "another daemon serves the admin socket " + path;
      return -1;
    }
    ::unlink(path.c_str());  // left by a daemon that died
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    error = sys_error("socket");
    return -1;
  }
  mode_t old = ::umask(0177);  // the socket is born 0600: no window where others may connect
  int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a);
  ::umask(old);
  if (rc != 0 || ::chmod(path.c_str(), 0600) != 0 || ::listen(fd, 16) != 0) {
    error = sys_error("cannot listen on " + path);
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

std::string admin_server::start(const std::string& socket_path, admin_service& service, const tcp_settings* tcp) {
  std::string error;
  int fd = -1;
  if (!socket_path.empty()) {
    fd = bind_socket(socket_path, error);
    if (fd < 0) return error;
  }
  path_ = socket_path;
  error = loop_.start(
      "admin server",
      [this, fd, tcp, &service](kj::AsyncIoContext& io, kj_thread::keeper& keep,
                                std::string& err) -> kj::Promise<void> {
        kj::Promise<void> serving = kj::NEVER_DONE;
        auto& server =
            keep.add(std::make_unique<capnp::TwoPartyServer>(capnp::Capability::Client(make_admin_rpc(service))));
        if (fd >= 0) {
          auto& listener =
              *keep.add(std::make_unique<kj::Own<kj::ConnectionReceiver>>(io.lowLevelProvider->wrapListenSocketFd(
                  fd, kj::LowLevelAsyncIoProvider::TAKE_OWNERSHIP | kj::LowLevelAsyncIoProvider::ALREADY_NONBLOCK |
                          kj::LowLevelAsyncIoProvider::ALREADY_CLOEXEC)));
          serving = server.listen(listener);
        }
        if (tcp != nullptr) {
          auto& tcp_rpc = *keep.add(
              std::make_unique<kj::Own<wire::admin::Admin::Server>>(make_admin_rpc(service, admin_origin::tcp)));
          auto& remote = keep.add(std::make_unique<tcp_admin>(io, tcp_rpc));
          if (err = remote.setup(*tcp); !err.empty()) return kj::READY_NOW;
          tcp_port_ = remote.port();
          serving = serving.exclusiveJoin(remote.run());
        }
        return serving;
      });
  if (!error.empty()) {
    if (!path_.empty()) ::unlink(path_.c_str());
    path_.clear();
  }
  return error;
}

void admin_server::run_exclusive(const std::function<void()>& fn) {
  if (!loop_.run_sync(fn)) fn();  // not serving: on the calling thread
}

void admin_server::stop() {
  if (!loop_.running()) return;
  loop_.stop();
  if (!path_.empty()) ::unlink(path_.c_str());
}

}  // namespace stmfd::admin
