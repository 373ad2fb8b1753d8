#include "plugins/lu/ssc/media/media_admin.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "plugins/lu/ssc/media/loader.hpp"

namespace stmfd::ssc::media {

namespace {

struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

std::string os_error(const std::string& path) { return path + ": " + std::strerror(errno); }

ssize_t read_at(int fd, uint8_t* buf, size_t n, uint64_t off) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, buf + done, n - done, off_t(off + done));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    done += size_t(r);
  }
  return ssize_t(done);
}

bool write_at(int fd, const uint8_t* buf, size_t n, uint64_t off) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pwrite(fd, buf + done, n - done, off_t(off + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    done += size_t(r);
  }
  return true;
}

}  // namespace

// The loader's conversation answered with pread; it never asks for a write
// on a read-only load except to format an empty file, which it refuses.
medium_info inspect_file(const std::string& path) {
  medium_info out;
  fd_guard f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  struct stat st {};
  if (f.fd < 0 || ::fstat(f.fd, &st) != 0) return {os_error(path), {}, 0, 0, false};
  if (!S_ISREG(st.st_mode)) return {path + ": not a regular file", {}, 0, 0, false};
  loader l(header{});
  std::vector<uint8_t> buf;
  file_request r = l.start(uint64_t(st.st_size), false);
  while (r.what == file_request::op::read) {
    buf.resize(r.length);
    ssize_t n = read_at(f.fd, buf.data(), buf.size(), r.offset);
    if (n < 0) return {os_error(path), {}, 0, 0, false};
    r = l.read_done(buf.data(), size_t(n));
  }
  if (r.what != file_request::op::done)
    return {path + ": " + (r.error.empty() ? "not a cartridge" : r.error), {}, 0, 0, false};
  cartridge c = l.take();
  out.barcode = c.info().barcode;
  out.capacity = c.info().capacity;
  out.used = c.used_bytes();
  out.write_protect = c.info().write_protect;
  return out;
}

std::string set_write_protect(const std::string& path, bool write_protect) {
  fd_guard f{::open(path.c_str(), O_RDWR | O_CLOEXEC)};
  if (f.fd < 0) return os_error(path);
  uint8_t copies[records_offset];
  if (read_at(f.fd, copies, sizeof copies, 0) != ssize_t(sizeof copies)) return path + ": not a cartridge (too short)";
  auto a = decode_header(copies);
  auto b = decode_header(copies + header_copy_len);
  if (!a && !b) return path + ": not a cartridge of format version 1 (no valid header)";
  header h = !b || (a && a->load_count >= b->load_count) ? *a : *b;
  h.write_protect = write_protect;
  uint8_t image[header_copy_len];
  encode_header(h, image);
  for (uint64_t off : {uint64_t(0), uint64_t(header_copy_len)})
    if (!write_at(f.fd, image, sizeof image, off) || ::fsync(f.fd) != 0) return os_error(path);
  return {};
}

}  // namespace stmfd::ssc::media
