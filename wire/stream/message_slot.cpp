#include "wire/stream/message_slot.hpp"

#include <cstring>

namespace stmfd::wire {

void message_slot::clear() {
  builder_.reset();  // zeroes the words it used
  reader_.reset();
}

void message_slot::start_building() {
  clear();
  if (dirty_words_ > 0) {
    std::memset(words_, 0, dirty_words_ * sizeof(capnp::word));
    dirty_words_ = 0;
  }
  builder_.emplace(kj::arrayPtr(words_, capacity_));
}

bool message_slot::spilled() const {
  if (!builder_) return false;
  // const_cast: getSegmentsForOutput() is not const but only reads.
  return const_cast<capnp::MallocMessageBuilder&>(*builder_).getSegmentsForOutput().size() > 1;
}

kj::ArrayPtr<capnp::word> message_slot::receive_buffer(size_t words) {
  clear();
  if (words > capacity_) words = capacity_;
  if (words > dirty_words_) dirty_words_ = words;  // whatever the reader writes there
  return kj::arrayPtr(words_, words);
}

void message_slot::open_received(size_t words, const capnp::ReaderOptions& options) {
  reader_.emplace(kj::arrayPtr(static_cast<const capnp::word*>(words_), words), options);
}

}  // namespace stmfd::wire
