#pragma once
// A connection's receive buffer: PDUs are framed out of the byte stream here
// (RFC 7143 11). It is a 16 KiB block of the connection's own while the
// traffic is login PDUs and commands; it grows into a buffer from the
// daemon-wide pool (io::buffer_pool, charged to limits.bufferMemory) only
// while a PDU does not fit (a data segment up to the negotiated
// MaxRecvDataSegmentLength) or a burst of PDUs fills it, and returns that
// buffer when it runs empty. So an idle connection, or one still logging
// in, holds 16 KiB.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "io/buffer_pool.hpp"

namespace stmfd::iscsi {

class rx_buffer {
 public:
  // A whole login PDU fits: BHS, 1020 bytes of AHS, the 8 KiB data segment
  // of the login phase (RFC 7143 13.12) and digests.
  static constexpr size_t small_bytes = 16 * 1024;
  // The least a grown buffer holds.
  static constexpr size_t burst_bytes = 64 * 1024;

  rx_buffer();
  ~rx_buffer();
  rx_buffer(const rx_buffer&) = delete;
  rx_buffer& operator=(const rx_buffer&) = delete;

  const uint8_t* data() const { return base() + begin_; }  // the unparsed bytes
  size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  uint8_t* tail() { return base() + end_; }  // where the next recv writes
  size_t room() const { return capacity() - end_; }
  size_t capacity() const { return large_ ? large_.capacity : small_ ? small_bytes : 0; }
  bool large() const { return static_cast<bool>(large_); }

  void produced(size_t n) { end_ += n; }  // a recv wrote n bytes at tail()
  void consume(size_t n);                 // n bytes at data() were handled

  // Makes `want` contiguous bytes fit from data(): moves the unparsed bytes
  // to the front, or into a pool buffer of at least max(want, burst_bytes).
  // False, with nothing changed, when the pool refused.
  bool fit(size_t want);
  // Moves the unparsed bytes to the front when less than min_room is free.
  void compact(size_t min_room);
  // Back to the small block when the unparsed bytes fit there; the pool
  // buffer goes back to the pool.
  void shrink();
  // Frees everything (the connection ended); capacity() is 0 afterwards.
  void release();

 private:
  uint8_t* base() const { return large_ ? large_.data : small_.get(); }

  std::unique_ptr<uint8_t[]> small_;
  io::buffer large_;
  size_t begin_ = 0, end_ = 0;
};

}  // namespace stmfd::iscsi
