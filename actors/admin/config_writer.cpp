#include "actors/admin/config_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace stmfd::admin {
namespace {

std::string errno_text(const std::string& what, const std::string& path) {
  return "cannot " + what + " " + path + ": " + std::strerror(errno);
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(size_t(n));
  }
  return true;
}

void notify(const step_hook& hook, write_step s) {
  if (hook) hook(s);
}

}  // namespace

std::string write_file_atomically(const std::string& path, std::string_view text, const step_hook& hook) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // Appended piece by piece: GCC 12 mistakes `"." + std::string` for an
  // overlapping memcpy (-Wrestrict, its bug 105329).
  std::string temp_name = ".";
  temp_name += target.filename().string();
  temp_name += ".tmp." + std::to_string(::getpid());
  std::string temp = (dir / temp_name).string();

  mode_t mode = 0600;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;

  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return errno_text("create", temp);
  std::string err;
  if (!write_all(fd, text))
    err = errno_text("write", temp);
  else
    notify(hook, write_step::temp_written);
  if (err.empty() && ::fchmod(fd, mode) != 0) err = errno_text("set the mode of", temp);
  if (err.empty() && ::fsync(fd) != 0) err = errno_text("sync", temp);
  if (::close(fd) != 0 && err.empty()) err = errno_text("close", temp);
  if (!err.empty()) {
    ::unlink(temp.c_str());
    return err;
  }
  notify(hook, write_step::temp_synced);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    err = errno_text("rename " + temp + " over", path);
    ::unlink(temp.c_str());
    return err;
  }
  notify(hook, write_step::renamed);
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return errno_text("open the directory", dir.string());
  if (::fsync(dfd) != 0) err = errno_text("sync the directory", dir.string());
  ::close(dfd);
  if (err.empty()) notify(hook, write_step::dir_synced);
  return err;
}

}  // namespace stmfd::admin
