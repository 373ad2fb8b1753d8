#pragma once
// A loaded virtual tape cartridge as the drive sees it: the index of its
// records (built by media::loader from the file), the current position, and
// the operations that move it. Pure: it never touches the file; reads and
// writes are described as byte spans the LU shell performs, and a write is
// applied to the index only after the shell reports it done.
//
// Positions are SSC logical object identifiers (SSC-3 4.2.4): every block
// and every filemark is one object, numbered from 0 at beginning of
// partition (BOP/BOT); position() == object_count() is end of data. The
// operations report conditions (filemark, BOT, EOD, early warning, end of
// medium); the command handlers turn them into sense. One partition.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "plugins/lu/ssc/media/format.hpp"

namespace stmfd::ssc::media {

// Where a motion or transfer stopped short of what was asked.
enum class stop : uint8_t {
  none,           // did all that was asked
  filemark,       // met a filemark (forward: now after it; backward: now before it)
  bot,            // reached beginning of tape going backward
  eod,            // reached end of data going forward
  end_of_medium,  // a write would pass the medium's capacity: nothing more was written
};

struct record_ref {
  uint64_t offset = 0;  // of the lead tag in the file
  uint32_t length = 0;  // payload bytes
  record_type type = record_type::data;
  uint64_t end() const { return offset + record_overhead + length; }
};

// A SPACE/LOCATE result: objects passed and the condition that stopped it.
struct motion {
  uint64_t done = 0;  // blocks or filemarks passed (SPACE), 0 for LOCATE
  stop cond = stop::none;
};

// The records a read may return from the current position.
struct read_span {
  uint64_t first = 0;    // object of the first record
  uint32_t records = 0;  // data records from there (none is a filemark)
  uint64_t offset = 0;   // file span holding them, tags included
  uint64_t length = 0;
  stop cond = stop::none;  // the next object after them: filemark or eod (none: the count was reached)
};

// One object to write (data: payload, filemark: none).
struct write_item {
  record_type type = record_type::data;
  const uint8_t* data = nullptr;
  uint32_t length = 0;
};

// One file write of a plan: `length` bytes from `data` at `offset`.
struct file_write {
  uint64_t offset = 0;
  const uint8_t* data = nullptr;
  uint32_t length = 0;
};

// The file writes that put a plan on the tape, to be done in this order,
// each only after the one before it completed (docs/tape-format.md, "Rules
// that make it crash-safe": a write is all or nothing).
struct write_order {
  std::array<file_write, 3> writes{};
  uint8_t count = 0;
};

// A write prepared against the index: bytes to put at `offset` (records
// then a fresh end-of-data record), applied by commit_write() once written,
// or by abandon_write() when a file write failed.
struct write_plan {
  uint64_t offset = 0;
  std::vector<uint8_t> image;
  uint32_t objects = 0;        // of the items asked, how many fit before the end of the medium
  bool early_warning = false;  // the new end of data lies in the early-warning zone
  stop cond = stop::none;      // end_of_medium when fewer than asked fit
  bool replaces = false;       // the write does not start at end of data: it replaces records
  uint8_t commit = 0;          // the image's first byte, which `image` holds as 0 (sealed)

  // How the image reaches the file, in order:
  //  1. (replaces only) the seal: one zero byte over the first byte of the
  //     lead tag at `offset`, so that record, and every record after it,
  //     is dead before any of them is overwritten;
  //  2. the image, sealed: its first byte is 0, so no part of it that
  //     lands makes a valid record;
  //  3. the commit: the image's real first byte, which makes the write
  //     valid at once.
  // Seal and commit are one byte each: they land whole or not at all. At
  // end of data no separate seal is needed: the old end-of-data record (or
  // the invalid record a crash left) ends the tape at `offset` until the
  // image's first byte lands, and from then on its seal does. The pointers
  // are into this plan: valid while it is neither changed nor copied.
  write_order file_writes() const;
};

class cartridge {
 public:
  cartridge() = default;
  // header: the decoded header (load_count already the one of this load);
  // records: the valid records in order; eod_offset: where end of data is
  // (where the next record goes); writable: the file may be written.
  cartridge(header h, std::vector<record_ref> records, uint64_t eod_offset, bool writable);

  const header& info() const { return h_; }
  bool writable() const { return writable_ && !h_.write_protect; }

  uint64_t position() const { return pos_; }
  uint64_t object_count() const { return recs_.size(); }  // = the position of end of data
  bool at_bot() const { return pos_ == 0; }
  bool at_eod() const { return pos_ == recs_.size(); }
  const record_ref& record(uint64_t object) const { return recs_[object]; }
  // Filemarks before the position (the file number of READ POSITION long form).
  uint64_t filemarks_before() const;
  // Bytes used up to end of data and the early-warning boundary (SSC-3
  // 4.2.5: the zone before the end of the medium where writes warn).
  uint64_t used_bytes() const { return eod_offset_; }
  uint64_t early_warning_offset() const;
  bool in_early_warning() const { return eod_offset_ >= early_warning_offset(); }

  void rewind() { pos_ = 0; }
  // SPACE(6/16) blocks (SSC-3 7.7): n > 0 forward, n < 0 backward. Stops
  // at a filemark (forward: after it; backward: before it), BOT or EOD.
  motion space_blocks(int64_t n);
  // SPACE filemarks: n > 0 forward (ends after the n-th filemark), n < 0
  // backward (ends before it, on its BOT side). Stops at BOT or EOD.
  motion space_filemarks(int64_t n);
  void space_to_eod() { pos_ = recs_.size(); }
  // LOCATE (SSC-3 7.4): to an object; beyond end of data stops at end of
  // data with cond eod.
  motion locate(uint64_t object);

  // Up to max_records data records from the position whose payloads sum to
  // at most max_bytes (at least one record is always offered when the next
  // object is data).
  read_span plan_read(uint32_t max_records, uint64_t max_bytes) const;
  // Checks the records of span in `bytes` (the file span read) and gives
  // each payload's address; false when a tag or payload CRC does not match
  // (a medium error). payloads must hold span.records entries.
  bool check_read(const read_span& span, const uint8_t* bytes, const uint8_t** payloads) const;
  // The position moves past `objects` objects (after a read or a filemark).
  void advance(uint64_t objects) { pos_ = pos_ + objects <= recs_.size() ? pos_ + objects : recs_.size(); }

  // Writes replace everything from the position on (SSC-3 4.2.6).
  write_plan plan_write(const write_item* items, size_t n);
  // The plan reached the file: the index takes its records, the position
  // moves after them.
  void commit_write(const write_plan& p, const write_item* items);
  // A file write of the plan failed; writes_done: how many of
  // p.file_writes() completed before it. When a rewrite's seal failed the
  // file is as it was, and so is the index; otherwise the tape ends at the
  // position, in the file and in the index (at end of data that is the
  // tape as it was). None of the plan's records is on the tape either
  // way, and the position stays where the write began (the object it
  // would have written).
  void abandon_write(const write_plan& p, size_t writes_done);

  // ERASE (SSC-3 7.2): end of data at the position (the records after it are dropped).
  write_plan plan_erase() { return plan_write(nullptr, 0); }

 private:
  uint64_t next_epoch_for_write();
  header h_;
  std::vector<record_ref> recs_;
  uint64_t eod_offset_ = records_offset;
  uint64_t pos_ = 0;
  uint32_t rewrites_ = 0;  // epochs begun in this load
  bool writable_ = false;
};

// A whole blank cartridge image (both header copies and an end-of-data
// record): what a new cartridge file holds.
std::vector<uint8_t> blank_image(const header& h);

}  // namespace stmfd::ssc::media
