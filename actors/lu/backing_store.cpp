#include "actors/lu/backing_store.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "io/durable_file.hpp"

namespace stmfd {

backing_store::~backing_store() {
  if (direct_fd_ >= 0) ::close(direct_fd_);
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

void backing_store::ram_deallocate(uint64_t offset, uint64_t length) const {
  if (!ram_ || offset >= size_) return;
  if (length > size_ - offset) length = size_ - offset;
  const uint64_t page = uint64_t(::sysconf(_SC_PAGESIZE));
  const uint64_t first = (offset + page - 1) / page * page, last = (offset + length) / page * page;
  if (first < last && ::madvise(ram_ + first, last - first, MADV_DONTNEED) == 0) {
    // Private anonymous pages read as zeros after MADV_DONTNEED: only the edges need clearing.
    std::memset(ram_ + offset, 0, first - offset);
    std::memset(ram_ + last, 0, offset + length - last);
  } else {
    std::memset(ram_ + offset, 0, length);
  }
}

namespace {

// The O_DIRECT descriptor of direct_fd() and the alignments direct I/O
// needs on it (statx(2) STATX_DIOALIGN); -1 where the kernel refuses
// O_DIRECT on this file system or device. Offsets and lengths are held to
// whole pages even where the kernel takes less (512 on a disk with
// 512-byte sectors): a direct write that covers part of a page while a
// buffered write to another part of that page (another LBA, so the task
// set does not order them) reads the page back in could have the page's
// stale copy of its bytes written back over it later (the kernel only
// warns when it cannot drop the page after the direct write). Whole-page
// direct writes share a page only with writes that overlap them, which the
// task set orders; smaller writes take the buffered path.
int open_direct(const std::string& path, uint32_t& mem_align, uint32_t& offset_align) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_DIRECT);
  if (fd < 0) return -1;
  struct statx sx {};
  if (::statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) == 0 && (sx.stx_mask & STATX_DIOALIGN) &&
      sx.stx_dio_mem_align != 0 && sx.stx_dio_offset_align != 0) {
    mem_align = sx.stx_dio_mem_align;
    offset_align = sx.stx_dio_offset_align;
  }
  const auto page = uint32_t(::sysconf(_SC_PAGESIZE));
  offset_align = std::max(offset_align, page);
  return fd;
}

// STMFD_WT_DIRECT (backing_store::direct_sync; a measurement aid).
backing_store::direct_mode direct_mode_from_env() {
  const char* v = std::getenv("STMFD_WT_DIRECT");
  if (v == nullptr) return backing_store::direct_mode::range;
  if (std::strcmp(v, "dsync") == 0) return backing_store::direct_mode::dsync;
  if (std::strcmp(v, "off") == 0) return backing_store::direct_mode::off;
  return backing_store::direct_mode::range;
}

// Appends [off, off + len) with state `mapped`, merging with the previous record.
bool put_extent(extent_record* out, size_t max, size_t& n, uint64_t off, uint64_t len, bool mapped) {
  if (len == 0) return true;
  if (n > 0 && out[n - 1].mapped == uint8_t(mapped) && out[n - 1].offset + out[n - 1].length == off) {
    out[n - 1].length += len;
    return true;
  }
  if (n == max) return false;
  out[n++] = extent_record{off, len, uint8_t(mapped), {}};
  return true;
}

}  // namespace

long backing_store::map_extents(uint64_t offset, uint64_t length, extent_record* out, size_t max) const {
  size_t n = 0;
  uint64_t end = offset + length;
  if (kind_ == lu_definition::backing_kind::ram) {
    const uint64_t page = uint64_t(::sysconf(_SC_PAGESIZE));
    // Pages that are not resident cost only mincore(); the scan stops once
    // it compared ram_scan_limit bytes of resident pages with zeros.
    uint64_t compared = 0;
    unsigned char vec[256];
    for (uint64_t pos = offset / page * page; pos < end && compared < ram_scan_limit;) {
      const uint64_t pages = std::min<uint64_t>(sizeof vec, (end - pos + page - 1) / page);
      if (::mincore(ram_ + pos, pages * page, vec) != 0) return -errno;
      for (uint64_t i = 0; i < pages && pos < end && compared < ram_scan_limit; ++i, pos += page) {
        const uint64_t from = std::max(pos, offset), to = std::min(pos + page, end);
        // Resident and not all zeros: mapped. A page that was never written,
        // was dropped, or only read (the kernel's zero page) is deallocated.
        const uint8_t* p = ram_ + pos;
        if (vec[i] & 1) compared += page;
        const bool mapped = (vec[i] & 1) && !(p[0] == 0 && std::memcmp(p, p + 1, page - 1) == 0);
        if (!put_extent(out, max, n, from, to - from, mapped)) return long(n);
      }
    }
    return long(n);
  }
  if (kind_ == lu_definition::backing_kind::block) {
    put_extent(out, max, n, offset, length, true);
    return long(n);
  }
  for (uint64_t pos = offset; pos < end;) {
    off_t data = ::lseek(fd_, off_t(pos), SEEK_DATA);
    if (data < 0 && errno != ENXIO) return -errno;
    const uint64_t d = data < 0 ? end : std::min<uint64_t>(uint64_t(data), end);
    if (!put_extent(out, max, n, pos, d - pos, false)) return long(n);  // a hole up to the data
    if (d >= end) break;
    off_t hole = ::lseek(fd_, off_t(d), SEEK_HOLE);
    if (hole < 0) return -errno;
    const uint64_t h = std::min<uint64_t>(uint64_t(hole), end);
    if (!put_extent(out, max, n, d, h - d, true)) return long(n);
    pos = h;
  }
  return long(n);
}

backing_store::open_result backing_store::open(const lu_definition& def) {
  std::shared_ptr<backing_store> s(new backing_store);
  s->kind_ = def.backing;
  // A file this call creates is removed again when the store does not open
  // (a size the file system refuses, ...): a refused create leaves nothing.
  bool created = false;
  auto fail = [&](const std::string& what) {
    open_result r{nullptr, def.name + ": " + what + ": " + std::strerror(errno)};
    if (created) ::unlink(def.path.c_str());
    return r;
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
  s->fd_ = (flags & O_CREAT) ? ::open(def.path.c_str(), flags | O_EXCL, 0600) : -1;
  created = s->fd_ >= 0;
  if (!created) s->fd_ = ::open(def.path.c_str(), flags & ~O_CREAT, 0600);
  if (s->fd_ < 0) return fail("cannot open " + def.path);
  struct stat st {};
  if (::fstat(s->fd_, &st) != 0) return fail("cannot stat " + def.path);
  if (S_ISBLK(st.st_mode)) {
    uint64_t bytes = 0;
    if (::ioctl(s->fd_, BLKGETSIZE64, &bytes) != 0) return fail("cannot size " + def.path);
    s->size_ = def.size_bytes != 0 && def.size_bytes < bytes ? def.size_bytes : bytes;
  } else if (S_ISREG(st.st_mode)) {
    uint64_t have = uint64_t(st.st_size);
    bool resized = false;
    if (def.size_bytes > have) {
      if (def.read_only) {
        errno = EINVAL;
        return fail("file smaller than sizeBytes and readOnly");
      }
      // Sparse: the file grows without allocating blocks.
      if (::ftruncate(s->fd_, off_t(def.size_bytes)) != 0) return fail("cannot size " + def.path);
      have = def.size_bytes;
      resized = true;
    }
    // Fully provisioned (thinProvisioning false): every block allocated
    // now, so a write never meets ENOSPC later; a store that does not fit
    // is refused here (idempotent on an allocated file).
    if (!def.thin && !def.read_only && def.backing == lu_definition::backing_kind::file && def.size_bytes > 0) {
      // Checked first: a store that cannot fit never fills the file system
      // on its way to ENOSPC.
      struct statvfs vfs {};
      uint64_t allocated = uint64_t(st.st_blocks) * 512;
      uint64_t missing = def.size_bytes > allocated ? def.size_bytes - allocated : 0;
      if (::fstatvfs(s->fd_, &vfs) == 0 && missing > uint64_t(vfs.f_bavail) * vfs.f_frsize) {
        errno = ENOSPC;
        return fail("cannot allocate " + std::to_string(def.size_bytes) + " bytes for " + def.path + " (" +
                    std::to_string(uint64_t(vfs.f_bavail) * vfs.f_frsize) + " bytes free)");
      }
      if (int e = ::posix_fallocate(s->fd_, 0, off_t(def.size_bytes)); e != 0) {
        errno = e;
        return fail("cannot allocate " + std::to_string(def.size_bytes) + " bytes for " + def.path);
      }
    }
    s->size_ = def.size_bytes != 0 ? def.size_bytes : have;
    // A file created (or grown) here is on stable storage, size and name,
    // before the LU is reported created: the file, then its directory
    // (io/durable_file.hpp).
    if (created || resized) {
      if (int e = io::durable::sync_file(s->fd_); e != 0) {
        errno = -e;
        return fail("cannot sync " + def.path);
      }
    }
    if (created) {
      if (int e = io::durable::sync_parent(def.path); e != 0) {
        errno = -e;
        return fail("cannot sync the directory of " + def.path);
      }
    }
  } else {
    errno = EINVAL;
    return fail(def.path + " is neither a regular file nor a block device");
  }
  s->size_ -= s->size_ % def.block_size;
  // Thin or fully provisioned alike (docs/durability.md): a direct write
  // into a hole allocates its blocks, and the sync after it covers that
  // allocation as it does after a buffered write.
  s->direct_mode_ = direct_mode_from_env();
  if (!def.read_only && s->direct_mode_ != direct_mode::off)
    s->direct_fd_ = open_direct(def.path, s->dio_mem_align_, s->dio_offset_align_);
  if (s->size_ == 0) {
    errno = EINVAL;
    return fail(def.path + " is empty");
  }
  return {s, {}};
}

}  // namespace stmfd
