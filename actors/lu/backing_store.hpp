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
  uint8_t* ram_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace stmfd
