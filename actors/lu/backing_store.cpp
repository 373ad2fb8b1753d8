#include "actors/lu/backing_store.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stmfd {

backing_store::~backing_store() {
  if (fd_ >= 0) {
    ::fdatasync(fd_);
    ::close(fd_);
  }
  if (ram_ != nullptr) ::munmap(ram_, size_);
}

int backing_store::sync() const {
  if (fd_ < 0) return 0;
  return ::fdatasync(fd_) == 0 ? 0 : -errno;
}

backing_store::open_result backing_store::open(const lu_definition& def) {
  std::shared_ptr<backing_store> s(new backing_store);
  s->kind_ = def.backing;
  auto fail = [&](const std::string& what) {
    return open_result{nullptr, def.name + ": " + what + ": " + std::strerror(errno)};
  };
  if (def.backing == lu_definition::backing_kind::ram) {
    if (def.size_bytes == 0) return {nullptr, def.name + ": a RAM disk needs sizeBytes"};
    void* p =
        ::mmap(nullptr, def.size_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return fail("cannot allocate RAM");
    s->ram_ = static_cast<uint8_t*>(p);
    s->size_ = def.size_bytes;
    return {s, {}};
  }
  int flags = O_CLOEXEC | (def.read_only ? O_RDONLY : O_RDWR);
  if (def.backing == lu_definition::backing_kind::file && def.create && !def.read_only) flags |= O_CREAT;
  s->fd_ = ::open(def.path.c_str(), flags, 0600);
  if (s->fd_ < 0) return fail("cannot open " + def.path);
  struct stat st {};
  if (::fstat(s->fd_, &st) != 0) return fail("cannot stat " + def.path);
  if (S_ISBLK(st.st_mode)) {
    uint64_t bytes = 0;
    if (::ioctl(s->fd_, BLKGETSIZE64, &bytes) != 0) return fail("cannot size " + def.path);
    s->size_ = def.size_bytes != 0 && def.size_bytes < bytes ? def.size_bytes : bytes;
  } else if (S_ISREG(st.st_mode)) {
    uint64_t have = uint64_t(st.st_size);
    if (def.size_bytes > have) {
      if (def.read_only) {
        errno = EINVAL;
        return fail("file smaller than sizeBytes and readOnly");
      }
      // Sparse: the file grows without allocating blocks.
      if (::ftruncate(s->fd_, off_t(def.size_bytes)) != 0) return fail("cannot size " + def.path);
      have = def.size_bytes;
    }
    s->size_ = def.size_bytes != 0 ? def.size_bytes : have;
  } else {
    errno = EINVAL;
    return fail(def.path + " is neither a regular file nor a block device");
  }
  s->size_ -= s->size_ % def.block_size;
  if (s->size_ == 0) {
    errno = EINVAL;
    return fail(def.path + " is empty");
  }
  return {s, {}};
}

}  // namespace stmfd
