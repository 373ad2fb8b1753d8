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
