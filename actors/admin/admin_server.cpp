#include "actors/admin/admin_server.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include <cerrno>
#include <condition_variable>
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
  std::condition_variable ready_cv;
  bool ready = false;
  std::string setup_error;
  thread_ = std::thread([this, fd, tcp, &service, &ready, &ready_cv, &setup_error] {
    auto signal_ready = [&](std::string err) {
      std::lock_guard<std::mutex> lock(mutex_);
      setup_error = std::move(err);
      ready = true;
      ready_cv.notify_all();
    };
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                   auto io = kj::setupAsyncIo();
                   kj::Promise<void> serving = kj::NEVER_DONE;
                   kj::Own<kj::ConnectionReceiver> listener;
                   auto unix_rpc = make_admin_rpc(service);
                   capnp::TwoPartyServer server(capnp::Capability::Client(kj::mv(unix_rpc)));
                   if (fd >= 0) {
                     listener =
                         io.lowLevelProvider->wrapListenSocketFd(fd, kj::LowLevelAsyncIoProvider::TAKE_OWNERSHIP |
                                                                         kj::LowLevelAsyncIoProvider::ALREADY_NONBLOCK |
                                                                         kj::LowLevelAsyncIoProvider::ALREADY_CLOEXEC);
                     serving = server.listen(*listener);
                   }
                   auto tcp_rpc = make_admin_rpc(service, admin_origin::tcp);
                   kj::Own<tcp_admin> remote;
                   if (tcp != nullptr) {
                     remote = kj::heap<tcp_admin>(io, *tcp_rpc);
                     if (auto err = remote->setup(*tcp); !err.empty()) return signal_ready(err);
                     tcp_port_ = remote->port();
                     serving = serving.exclusiveJoin(remote->run());
                   }
                   auto stop = kj::newPromiseAndCrossThreadFulfiller<void>();
                   {
                     std::lock_guard<std::mutex> lock(mutex_);
                     stop_ = kj::mv(stop.fulfiller);
                     if (stop_requested_) stop_->fulfill();
                     executor_ = kj::getCurrentThreadExecutor().addRef();
                   }
                   signal_ready({});
                   stop.promise.exclusiveJoin(kj::mv(serving)).wait(io.waitScope);
                   std::lock_guard<std::mutex> lock(mutex_);
                   executor_ = nullptr;  // a call queued after this point throws DISCONNECTED
                 })) {
      log::error("admin server stopped: {}", std::string(e->getDescription().cStr()));
      std::lock_guard<std::mutex> lock(mutex_);
      executor_ = nullptr;
      if (!ready) setup_error = std::string("admin server: ") + e->getDescription().cStr();
      ready = true;
      ready_cv.notify_all();
    }
  });
  std::unique_lock<std::mutex> lock(mutex_);
  ready_cv.wait(lock, [&] { return ready; });
  if (!setup_error.empty()) {
    lock.unlock();
    thread_.join();
    if (!path_.empty()) ::unlink(path_.c_str());
    path_.clear();
    return setup_error;
  }
  return {};
}

void admin_server::run_exclusive(const std::function<void()>& fn) {
  kj::Own<const kj::Executor> ex;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (executor_ && !stop_requested_) ex = executor_->addRef();  // kept alive even if the loop exits
  }
  if (!ex) return fn();
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { ex->executeSync([&]() { fn(); }); })) {
    log::error("admin thread call failed: {}", std::string(e->getDescription().cStr()));
  }
}

void admin_server::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = true;
    if (stop_) stop_->fulfill();
  }
  thread_.join();
  stop_ = nullptr;
  if (!path_.empty()) ::unlink(path_.c_str());
}

}  // namespace stmfd::admin
