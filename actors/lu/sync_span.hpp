#pragma once

#include <cstdint>

#include "actors/contracts/lu_provider.hpp"

namespace stmfd {

// The bytes of the LU's file that the sync ending a durable step covers
// (issue 10 section 3). The ring turns it into IORING_OP_FSYNC with
// DATASYNC over that range (io::ring::fsync): the file system writes back
// the dirty pages of the range only, and commits the file's metadata
// exactly as a whole-file fdatasync would (ext4: the inode's datasync
// transaction; a block device: a cache flush), so what the range holds is
// as durable as before.
struct sync_span {
  uint64_t offset = 0;
  uint64_t len = 0;  // 0: the whole file
};

// - A flush step on the backing store (SYNCHRONIZE CACHE, SBC-4 5.26;
//   START STOP UNIT): its offset and length, length 0 being the whole
//   file (SYNCHRONIZE CACHE with NUMBER OF LOGICAL BLOCKS 0 syncs from its
//   LBA to the end: the whole file is a superset).
// - A write, write_same or deallocate step with fua (FUA, or the write
//   cache off; SBC-4 4.12): the whole file. Its own range would do, but it
//   measured slower (docs/durability.md), likely because concurrent
//   write-through writes to neighbouring blocks then each write back their
//   own pages, where one whole-file fdatasync writes back all of them in
//   one go and the others find their pages clean.
// - Any step on the medium store (a tape cartridge): the whole file. A
//   synchronous tape write or WRITE FILEMARKS (IMMED=0) must also make the
//   records buffered before it durable (SSC-3 6.6), and those lie outside
//   the step's own bytes.
sync_span sync_span_of(const io_step& s);

}  // namespace stmfd
