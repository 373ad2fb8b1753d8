#pragma once
// Loading a cartridge file (docs/tape-format.md "Loading"): a short
// conversation in which the loader asks its caller (the LU shell, through
// the tape core) to read or write spans of the file, and ends with a
// cartridge or a reason it cannot be loaded. Pure: no I/O of its own.
//
//   start(size, writable)      -> read the two header copies, or write a
//                                 blank image when the file is empty (or
//                                 shorter than the headers and without one:
//                                 a format a crash cut short)
//   read_done(bytes)           -> the record tags, one record at a time
//   ...                        -> write the older header copy with the
//                                 load count + 1 (writable cartridges)
//   done                       -> take() the cartridge
//
// Every write the loader asks for must be durable before write_done().

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plugins/lu/ssc/media/cartridge.hpp"

namespace stmfd::ssc::media {

struct file_request {
  enum class op : uint8_t { read, write, done, failed } what = op::done;
  uint64_t offset = 0;
  uint32_t length = 0;            // read: bytes wanted (fewer at end of file is fine); write: bytes
  const uint8_t* data = nullptr;  // write: the bytes (owned by the loader until the next call)
  std::string error;              // failed: why, for the log
};

class loader {
 public:
  // Records beyond this many fail the load (the index costs 24 bytes each).
  static constexpr uint64_t max_records = uint64_t(16) << 20;

  // blank: the header a new (empty) cartridge file gets (barcode, capacity).
  explicit loader(header blank) : blank_(std::move(blank)) {}

  file_request start(uint64_t file_size, bool writable);
  // After a read: the bytes read (n may be short at end of file).
  file_request read_done(const uint8_t* data, size_t n);
  // After a write reached stable storage.
  file_request write_done();
  // After done: the loaded cartridge, positioned at BOT.
  cartridge take();

 private:
  enum class state : uint8_t { idle, blank, headers, lead, trail, bump, done };
  file_request read(uint64_t offset, uint32_t len);
  file_request format_blank();
  file_request end_of_scan(uint64_t eod_offset);
  file_request fail(std::string why);
  file_request on_lead(const uint8_t* data, size_t n);
  file_request on_trail(const record_tag& trail);

  header blank_;
  header h_;
  state st_ = state::idle;
  bool writable_ = false;
  int older_copy_ = 1;  // the header copy the load count bump rewrites
  std::vector<record_ref> recs_;
  uint64_t at_ = records_offset;  // offset of the record being scanned
  uint64_t last_epoch_ = 0;
  record_tag lead_;
  uint64_t eod_offset_ = records_offset;
  std::vector<uint8_t> out_;  // bytes of a write request
};

}  // namespace stmfd::ssc::media
