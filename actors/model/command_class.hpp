#pragma once
// What the framework needs to know about a command to order it in its LU's
// task set, without decoding the CDB itself: the LU provider's command table
// classifies every row (conventions.md "Ordering is data", the model is
// FreeBSD CTL's serialization table) and tells the medium extent the
// command touches. Part of the LU provider contract (actors/contracts/).
#include <cstdint>

namespace stmfd {

// SAM-5 8.6 task attributes (the transport's encoding is the port's business).
enum class task_attr : uint8_t {
  simple,
  ordered,
  head_of_queue,
  aca,
};

// Serialization class of a command-table row. Whether a new task waits for
// an older one is a function of the pair of classes (and, for medium access,
// whether their extents overlap): see actors/model/task_set.hpp.
enum class ser_class : uint8_t {
  none,        // touches no medium or mode state: TEST UNIT READY, INQUIRY, READ CAPACITY, RSOC
  read,        // reads the extent: READ, VERIFY, PRE-FETCH
  write,       // writes the extent: WRITE, WRITE AND VERIFY, WRITE SAME, UNMAP, COMPARE AND WRITE
  flush,       // SYNCHRONIZE CACHE, START STOP UNIT: after older writes to the extent
  mode_read,   // MODE SENSE, LOG SENSE: after an older mode_write
  mode_write,  // MODE SELECT: changes parameters later commands see; waits for all older, holds all newer
  exclusive,   // FORMAT UNIT, SANITIZE, medium movement on a tape: runs alone
};
// "All newer" and "alone" above leave out none: a none task passes every
// class, as INQUIRY passes everything in CTL's table, so INQUIRY and TEST
// UNIT READY are answered during a FORMAT UNIT or a MODE SELECT. A provider
// whose MODE SELECT can change what a none command answers (the block length
// READ CAPACITY reports) classes that command mode_read instead.

// The blocks a command touches. blocks == 0 with whole == false: none (the
// class alone decides); whole == true: every block of the medium.
struct extent {
  uint64_t lba = 0;
  uint64_t blocks = 0;
  bool whole = false;
};

}  // namespace stmfd
