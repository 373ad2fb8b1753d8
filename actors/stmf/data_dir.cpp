#include "actors/stmf/data_dir.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace stmfd {

namespace {

// mkdir(2) that accepts a directory already there (another process, a race).
std::string make_one(const std::filesystem::path& p, mode_t mode) {
  if (::mkdir(p.c_str(), mode) == 0) return {};
  int err = errno;
  struct stat st {};
  if (err == EEXIST && ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return {};
  if (err == EEXIST) return p.string() + " exists and is not a directory";
  return "cannot create " + p.string() + ": " + std::strerror(err);
}

}  // namespace

data_dir_result ensure_data_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  data_dir_result out;
  fs::path target = fs::path(dir).lexically_normal();
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) out.error = target.string() + " exists and is not a directory";
    return out;
  }
  fs::path at;
  for (auto& part : target.parent_path()) {
    at /= part;
    if (at == at.root_path()) continue;
    if (auto err = make_one(at, 0755); !err.empty()) {
      out.error = err;
      return out;
    }
  }
  if (auto err = make_one(target, 0750); !err.empty()) {
    out.error = err;
    return out;
  }
  ::chmod(target.c_str(), 0750);  // exactly 0750, whatever the umask
  out.created = true;
  return out;
}

}  // namespace stmfd
