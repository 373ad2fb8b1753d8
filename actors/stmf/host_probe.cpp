#include "actors/stmf/host_probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/fs.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stmfd {

namespace {

bool can(const std::string& path, int mode) { return ::faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) == 0; }

// The device's size in bytes; false when it cannot be opened or asked.
bool device_size(const std::string& path, uint64_t& bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::ioctl(fd, BLKGETSIZE64, &bytes) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

path_info system_probe::stat(const std::string& path) const {
  path_info out;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return out;  // missing
    out.what = path_info::kind::unknown;
    out.error = std::strerror(errno);
    return out;
  }
  if (S_ISREG(st.st_mode)) {
    out.what = path_info::kind::regular;
    out.size = uint64_t(st.st_size);
  } else if (S_ISBLK(st.st_mode)) {
    out.what = path_info::kind::block;
    out.size_known = device_size(path, out.size);
  } else if (S_ISDIR(st.st_mode)) {
    out.what = path_info::kind::directory;
    out.readable = can(path, R_OK | X_OK);
    out.writable = can(path, W_OK | X_OK);
    return out;
  } else {
    out.what = path_info::kind::other;
  }
  out.readable = can(path, R_OK);
  out.writable = can(path, W_OK);
  return out;
}

uint64_t system_probe::memory_bytes() const {
  long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? uint64_t(pages) * uint64_t(page) : 0;
}

bool system_probe::local_address(const std::string& host, bool ipv6) const {
  unsigned char want[sizeof(in6_addr)] = {};
  if (::inet_pton(ipv6 ? AF_INET6 : AF_INET, host.c_str(), want) != 1) return false;
  if (!ipv6 && want[0] == 127) return true;  // all of 127/8 is the loopback's
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return true;  // cannot tell: do not report
  bool found = false;
  for (ifaddrs* i = list; i != nullptr && !found; i = i->ifa_next) {
    if (i->ifa_addr == nullptr) continue;
    if (!ipv6 && i->ifa_addr->sa_family == AF_INET) {
      auto* a = reinterpret_cast<sockaddr_in*>(i->ifa_addr);
      found = std::memcmp(&a->sin_addr, want, sizeof(in_addr)) == 0;
    } else if (ipv6 && i->ifa_addr->sa_family == AF_INET6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(i->ifa_addr);
      found = std::memcmp(&a->sin6_addr, want, sizeof(in6_addr)) == 0;
    }
  }
  ::freeifaddrs(list);
  return found;
}

}  // namespace stmfd
