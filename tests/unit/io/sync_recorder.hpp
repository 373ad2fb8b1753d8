#pragma once
// A test's view of io::durable's fsyncs: each synced file or directory by
// path (read from /proc/self/fd), in order; one path can be made to fail.
// Restores the real fsync when it goes out of scope. With a scratch
// directory named as /proc/self/fd names it (canonical).
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

#include "io/durable_file.hpp"

namespace stmfd::test {

struct sync_recorder {
  std::vector<std::string> synced;
  std::string fail_path;  // a sync of this path answers -EIO (and is recorded)

  sync_recorder() {
    io::durable::set_sync_hook_for_test([this](int fd) {
      std::error_code ec;
      auto p = std::filesystem::read_symlink("/proc/self/fd/" + std::to_string(fd), ec).string();
      synced.push_back(p);
      if (!fail_path.empty() && p == fail_path) return -EIO;
      return ::fsync(fd) == 0 ? 0 : -errno;
    });
  }
  ~sync_recorder() { io::durable::set_sync_hook_for_test(nullptr); }
  sync_recorder(const sync_recorder&) = delete;
  sync_recorder& operator=(const sync_recorder&) = delete;

  // Where `path` was synced first (-1: never).
  long index_of(const std::string& path) const {
    auto want = std::filesystem::weakly_canonical(path).string();
    for (size_t i = 0; i < synced.size(); ++i)
      if (synced[i] == want) return long(i);
    return -1;
  }
};

// A directory under /tmp, removed with everything in it at the end.
struct sync_test_dir {
  std::string path;
  sync_test_dir() {
    char tmpl[] = "/tmp/stmfd-sync.XXXXXX";
    path = std::filesystem::canonical(::mkdtemp(tmpl)).string();
  }
  ~sync_test_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace stmfd::test
