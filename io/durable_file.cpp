#include "io/durable_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

namespace stmfd::io::durable {
namespace {

sync_hook& hook() {
  static sync_hook h;
  return h;
}

int do_sync(int fd) {
  if (hook()) return hook()(fd);
  return ::fsync(fd) == 0 ? 0 : -errno;
}

int sync_dir(const std::string& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return -errno;
  int r = do_sync(dfd);
  ::close(dfd);
  return r;
}

std::string parent_of(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

int sync_file(int fd) { return do_sync(fd); }

int sync_parent(const std::string& path) { return sync_dir(parent_of(path)); }

int create_directories(const std::string& dir) {
  // The missing ones, outermost first.
  std::vector<std::filesystem::path> missing;
  for (auto p = std::filesystem::path(dir).lexically_normal(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
    if (p.filename().empty()) continue;  // a trailing slash
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) break;
    if (errno != ENOENT) return -errno;
    missing.push_back(p);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0777) != 0 && errno != EEXIST) return -errno;
    if (int r = sync_parent(it->string()); r != 0) return r;
  }
  return 0;
}

void set_sync_hook_for_test(sync_hook h) { hook() = std::move(h); }

}  // namespace stmfd::io::durable
