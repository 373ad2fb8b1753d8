#pragma once
// A reusable home for one Cap'n Proto message in a fixed array of words: the
// scratch-segment pattern of task_context (actors/common/task_context.hpp)
// for every other message kind. A slot either builds a message (its first
// segment is the array, so a message that fits costs no heap allocation) or
// holds a received one and reads it in place. It is neither copyable nor
// movable: builders and readers point into it.
//
// Contract:
//  - build<T>() starts a fresh message whose root is T, dropping whatever
//    the slot held. A message larger than the array still builds, in heap
//    segments the builder allocates: spilled() then says so (size the slot
//    for the common case; never for a data path message).
//  - receive_buffer(n) exposes the array for a reader to fill with one
//    message in the standard stream framing; open_received(words) then
//    reads it in place (the caller has checked the segment table, see
//    wire/stream/frame.hpp). read<T>() gives the root.
//  - Not thread-safe; one owner at a time.
#include <cstddef>
#include <optional>

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/common.h>

namespace stmfd::wire {

class message_slot {
 public:
  message_slot(const message_slot&) = delete;
  message_slot& operator=(const message_slot&) = delete;

  template <class T>
  typename T::Builder build() {
    start_building();
    return builder_->initRoot<T>();
  }
  // A fresh message that is a copy of `from` (a message whose root is T,
  // e.g. one read in another slot), dropping whatever the slot held.
  template <class T>
  typename T::Builder build_copy(typename T::Reader from) {
    start_building();
    builder_->setRoot(from);
    return builder_->getRoot<T>();
  }
  // The message being built (after build()).
  capnp::MessageBuilder& builder() { return *builder_; }
  bool building() const { return builder_.has_value(); }
  bool spilled() const;

  size_t capacity_words() const { return capacity_; }
  // The first `words` words of the array (at most capacity_words()), to
  // receive one message into; valid until the next build() or clear().
  kj::ArrayPtr<capnp::word> receive_buffer(size_t words);
  // Reads the first `words` words of the array as one message (stream
  // framing). Requires a checked segment table (frame.hpp).
  void open_received(size_t words, const capnp::ReaderOptions& options);
  bool holds_received() const { return reader_.has_value(); }
  capnp::MessageReader& reader() { return *reader_; }
  template <class T>
  typename T::Reader read() {
    return reader_->getRoot<T>();
  }

  void clear();

 protected:
  message_slot(capnp::word* words, size_t capacity) : words_(words), capacity_(capacity) {}
  ~message_slot() = default;

 private:
  void start_building();

  capnp::word* words_;
  size_t capacity_;
  // Words that hold received bytes: a builder needs them zeroed first (a
  // builder zeroes what it used itself when it is destroyed).
  size_t dirty_words_ = 0;
  std::optional<capnp::MallocMessageBuilder> builder_;
  std::optional<capnp::FlatArrayMessageReader> reader_;
};

// A slot with its array inside: fixed_message_slot<256> holds messages of up
// to 2 KiB without allocating.
template <size_t Words>
class fixed_message_slot final : public message_slot {
 public:
  fixed_message_slot() : message_slot(storage_, Words) {}

 private:
  alignas(8) capnp::word storage_[Words]{};  // zeroed: ready for a builder
};

}  // namespace stmfd::wire
