#pragma once

#include <cstdint>

#include <liburing.h>

namespace stmfd::io::detail {

// The byte range an IORING_OP_FSYNC covers. The kernel (io_uring/sync.c,
// io_fsync) reads sqe->off and the 32-bit sqe->len and calls
// vfs_fsync_range(file, off, off + len, datasync), where off + len == 0
// means to the end of the file (LLONG_MAX); the range's end is inclusive,
// so one byte past the range is covered too, which costs at most one more
// page. A non-zero off with len 0 would cover the single byte at off, so
// "the whole file" is always sent as off 0, len 0.
struct fsync_range {
  uint64_t offset = 0;
  uint64_t len = 0;  // 0: the whole file
};

// len 0, or a len beyond the SQE's 32-bit field: the whole file (a
// superset of the range, so never less durable).
constexpr fsync_range fsync_range_of(uint64_t offset, uint64_t len) {
  if (len == 0 || len > UINT32_MAX) return {};
  return {offset, len};
}

// Prepares sqe as an fsync (datasync: fdatasync) of the range
// fsync_range_of(offset, len) describes.
inline void prep_fsync(io_uring_sqe* sqe, int fd, bool datasync, uint64_t offset, uint64_t len) {
  const fsync_range r = fsync_range_of(offset, len);
  io_uring_prep_fsync(sqe, fd, datasync ? IORING_FSYNC_DATASYNC : 0);
  sqe->off = r.offset;
  sqe->len = static_cast<uint32_t>(r.len);
}

}  // namespace stmfd::io::detail
