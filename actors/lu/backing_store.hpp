#pragma once
// The bytes behind an LU: a regular file, a block device, or RAM. STMF owns
// the store (not the LU actor), so an LU restart after a failure reopens
// nothing and loses nothing: a RAM disk keeps its data, a file its fd.
#include <cstdint>
#include <memory>
#include <string>

#include "actors/contracts/lu_provider.hpp"

namespace stmfd {

class backing_store {
 public:
  ~backing_store();
  lu_definition::backing_kind kind() const { return kind_; }
  int fd() const { return fd_; }         // file/block; -1 for RAM
  uint8_t* ram() const { return ram_; }  // RAM only
  uint64_t size() const { return size_; }
  // Flushes file data to stable storage (shutdown, SYNCHRONIZE CACHE).
  int sync() const;

  // Write-through (issue 10 section 3): a second descriptor on the same
  // file or device, opened O_DIRECT, for writes that must be durable before
  // status (FUA, or the write cache off). The LU writes those there, then
  // fdatasyncs the write's byte range: its data and the metadata to read it
  // back are then on stable storage, and no other page of the file was
  // written back (a buffered write and a whole-file fdatasync would write
  // back every dirty page of the file). Opened for every writable file,
  // thin or fully provisioned, and block device. A direct write into a hole
  // of a thin file allocates its blocks (ext4: an unwritten extent,
  // converted when the write completes, before the completion is reported),
  // and the fdatasync after it commits that allocation, as it does after a
  // buffered write; on a fully provisioned file posix_fallocate left the
  // blocks unwritten and the first write converts them the same way.
  // Measured against write + whole-file fdatasync and RWF_DSYNC on the
  // write (docs/durability.md, "Write-through on thin files"). Only where
  // the kernel takes O_DIRECT; else -1 and the LU keeps write + fdatasync.
  // The kernel keeps the page cache coherent: a direct write first writes
  // back any dirty cached pages of its range and drops them afterwards, so
  // buffered reads and writes on fd() see the data.
  int direct_fd() const { return direct_fd_; }
  // How a durable write on direct_fd() is made durable. A measurement aid
  // for the write-through A/B (docs/durability.md), not a user setting:
  // read from STMFD_WT_DIRECT at open. Unset or "range": the write, then an
  // fdatasync of its byte range. "dsync": RWF_DSYNC on the write (its sync
  // then runs in the file system's dio completion worker). "off": no
  // direct descriptor (buffered write + whole-file fdatasync, as before
  // write-through went direct).
  enum class direct_mode : uint8_t { range, dsync, off };
  direct_mode direct_sync() const { return direct_mode_; }
  // Whether a write of len bytes at offset from buf may use direct_fd():
  // the memory address, the offset and the length meet the alignment the
  // kernel reports for direct I/O (statx STATX_DIOALIGN; 4096 when it
  // reports none).
  bool direct_ok(const void* buf, uint64_t offset, uint32_t len) const {
    return direct_fd_ >= 0 && reinterpret_cast<uintptr_t>(buf) % dio_mem_align_ == 0 &&
           offset % dio_offset_align_ == 0 && len % dio_offset_align_ == 0;
  }

  // Thin provisioning (issue 7; the io_step kinds of the LU provider
  // contract). RAM only: the range reads back as zeros and its whole pages
  // are given back to the kernel.
  void ram_deallocate(uint64_t offset, uint64_t length) const;
  // Allocation state of [offset, offset + length) as consecutive records
  // (at most max): files from SEEK_DATA/SEEK_HOLE, RAM from its resident
  // pages (mincore) that hold something other than zeros, block devices all
  // mapped. Returns the records written, or -errno. RAM compares at most
  // ram_scan_limit bytes of resident pages with zeros per call (pages that
  // are not resident cost only mincore): the records then cover less than
  // asked, which GET LBA STATUS
  // allows (SBC-4 5.8: the initiator asks again from where they end).
  static constexpr uint64_t ram_scan_limit = 1u << 20;
  long map_extents(uint64_t offset, uint64_t length, extent_record* out, size_t max) const;

  struct open_result {
    std::shared_ptr<backing_store> store;
    std::string error;
  };
  // Opens (and for files with create=true, creates sparse / extends) the store.
  static open_result open(const lu_definition& def);

 private:
  backing_store() = default;
  lu_definition::backing_kind kind_ = lu_definition::backing_kind::file;
  int fd_ = -1;
  int direct_fd_ = -1;
  direct_mode direct_mode_ = direct_mode::range;
  uint32_t dio_mem_align_ = 4096, dio_offset_align_ = 4096;
  uint8_t* ram_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace stmfd
