#include "actors/lu/state_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/durable_file.hpp"

namespace stmfd::state_file {

std::optional<std::vector<uint8_t>> read(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::vector<uint8_t> bytes;
  uint8_t buf[8192];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    bytes.insert(bytes.end(), buf, buf + n);
  }
  const int err = errno;
  ::close(fd);
  if (n < 0) {
    errno = err;
    return std::nullopt;
  }
  return bytes;
}

bool write(const std::string& path, const std::vector<uint8_t>& image) {
  if (image.empty()) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return false;
  } else {
    const std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    size_t off = 0;
    while (off < image.size()) {
      ssize_t w = ::write(fd, image.data() + off, image.size() - off);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      off += size_t(w);
    }
    int synced = off == image.size() ? io::durable::sync_file(fd) : -(errno ? errno : EIO);
    bool ok = synced == 0;
    const int err = -synced;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
      const int e = ok ? errno : (err ? err : EIO);
      ::unlink(tmp.c_str());
      errno = e;
      return false;
    }
  }
  // The rename (or the unlink) is durable only once the directory is.
  if (int e = io::durable::sync_parent(path); e != 0) {
    errno = -e;
    return false;
  }
  return true;
}

std::string write_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  return write(path, bytes) ? std::string{} : path + ": " + std::strerror(errno);
}

}  // namespace stmfd::state_file
