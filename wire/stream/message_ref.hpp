#pragma once
// The framework's messages in one process (docs/messages.md): each is one
// Cap'n Proto message built in a preallocated slot (message_slot.hpp) taken
// from a slot_pool, and travels between actors by handle, a message_ref<T>.
// The receiver reads the struct in place; the same slot can be written to a
// stream unchanged (fd_stream.hpp: write_frame(fd, kind, ref.slot())).
//
// Contract:
//  - message_ref<T>::make() takes a slot from the pool (a mutex-guarded pop:
//    no heap allocation while the pool has a free slot) and starts a message
//    whose root is T; edit() gives its builder. Only the creator edits, and
//    only before the handle is first sent or copied to another thread.
//  - After that the message is immutable: any number of handles on any
//    threads read it (get()) at the same time.
//  - The last handle to go returns the slot to its pool (from whichever
//    thread drops it); the slot is cleared there.
//  - A message larger than a slot still builds (heap segments, slot.spilled());
//    size the slot for the common case (grants of many LUNs spill, once per
//    login; the data-path messages never do).
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "wire/stream/message_slot.hpp"

namespace stmfd::wire {

class slot_pool;

// One slot of a pool: 1 KiB of words plus the count of handles to it.
class pooled_slot final : public message_slot {
 public:
  static constexpr size_t words = 128;
  explicit pooled_slot(slot_pool* owner) : message_slot(storage_, words), pool_(owner) {}

 private:
  friend class slot_ref;
  friend class slot_pool;
  std::atomic<uint32_t> refs_{0};
  slot_pool* pool_;
  alignas(8) capnp::word storage_[words]{};  // zeroed: ready for a builder
};

// A counted handle to a pooled slot (copyable, thread-safe count).
class slot_ref {
 public:
  slot_ref() = default;
  explicit slot_ref(pooled_slot* s) : s_(s) {
    if (s_) s_->refs_.fetch_add(1, std::memory_order_relaxed);
  }
  slot_ref(const slot_ref& o) : slot_ref(o.s_) {}
  slot_ref(slot_ref&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  slot_ref& operator=(slot_ref o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~slot_ref() { reset(); }
  void reset();
  pooled_slot* get() const { return s_; }
  explicit operator bool() const { return s_ != nullptr; }

 private:
  pooled_slot* s_ = nullptr;
};

// A thread-safe free list of slots. It starts with `prealloc` slots, makes
// a new one when every slot is in use (counted in grown()), and keeps at
// most `max_free` free ones, deleting the rest as they come back: its size
// follows the load, never its history (issue 5, section 4).
class slot_pool {
 public:
  slot_pool(size_t prealloc, size_t max_free);
  ~slot_pool();
  slot_pool(const slot_pool&) = delete;
  slot_pool& operator=(const slot_pool&) = delete;

  slot_ref acquire();
  size_t free_slots();
  size_t live() const { return live_.load(std::memory_order_relaxed); }
  size_t grown() const { return grown_.load(std::memory_order_relaxed); }

  // The daemon's pool (64 slots ready, up to 1024 kept). Never destroyed:
  // a handle may be dropped by any thread until the process ends.
  static slot_pool& global();

 private:
  friend class slot_ref;
  void recycle(pooled_slot* s);

  std::mutex mtx_;
  std::vector<pooled_slot*> free_;
  size_t max_free_;
  std::atomic<size_t> live_{0};
  std::atomic<size_t> grown_{0};
};

// A handle to one message whose root struct is T (a generated Cap'n Proto
// struct type, e.g. wire::NexusRequest). Null when default-constructed.
template <class T>
class message_ref {
 public:
  message_ref() = default;

  // A fresh, empty T in a slot of `pool`.
  static message_ref make(slot_pool& pool = slot_pool::global()) {
    message_ref m;
    m.slot_ = pool.acquire();
    m.root_ = m.slot_.get()->template build<T>();
    return m;
  }
  // A copy of `from` (e.g. a message read from a stream, which lives in
  // the reader's slot) in a slot of `pool`.
  static message_ref copy_of(typename T::Reader from, slot_pool& pool = slot_pool::global()) {
    message_ref m;
    m.slot_ = pool.acquire();
    m.root_ = m.slot_.get()->template build_copy<T>(from);
    return m;
  }

  explicit operator bool() const { return static_cast<bool>(slot_); }
  // The creator's builder (see the contract above).
  typename T::Builder edit() { return root_; }
  typename T::Reader get() const { return root_.asReader(); }
  // The slot, to write the message to a stream (write_frame).
  message_slot& slot() const { return *slot_.get(); }

 private:
  slot_ref slot_;
  typename T::Builder root_{nullptr};
};

}  // namespace stmfd::wire
