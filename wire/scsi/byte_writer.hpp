#pragma once
// Bounded big-endian writer for parameter data (Data-In pages, sense data).
//
// SCSI replies are built at their full length and then cut to the
// allocation length (SPC-4 4.2.5.6): the writer keeps counting past `cap`
// but never stores beyond it, so header fields can report the full length
// while only `written()` bytes reach the buffer.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace stmfd::scsi {

class byte_writer {
 public:
  byte_writer(uint8_t* out, size_t cap) : out_(out), cap_(cap) {}

  void u8(uint8_t v) {
    if (pos_ < cap_) out_[pos_] = v;
    ++pos_;
  }
  void be16(uint16_t v) { u8(uint8_t(v >> 8)), u8(uint8_t(v)); }
  void be24(uint32_t v) { u8(uint8_t(v >> 16)), be16(uint16_t(v)); }
  void be32(uint32_t v) { be16(uint16_t(v >> 16)), be16(uint16_t(v)); }
  void be64(uint64_t v) { be32(uint32_t(v >> 32)), be32(uint32_t(v)); }
  void zeros(size_t n) {
    for (size_t i = 0; i < n; ++i) u8(0);
  }
  void bytes(const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; ++i) u8(p[i]);
  }
  // Left-aligned ASCII field of exactly `width` bytes, padded with `pad`
  // (SPC-4 4.3.1: ASCII data fields are left-aligned and space padded).
  void ascii(std::string_view s, size_t width, char pad = ' ') {
    for (size_t i = 0; i < width; ++i) u8(i < s.size() ? uint8_t(s[i]) : uint8_t(pad));
  }

  // Patch an already written position (no-op past cap).
  void set_u8(size_t at, uint8_t v) {
    if (at < cap_) out_[at] = v;
  }
  void set_be16(size_t at, uint16_t v) { set_u8(at, uint8_t(v >> 8)), set_u8(at + 1, uint8_t(v)); }
  void set_be32(size_t at, uint32_t v) { set_be16(at, uint16_t(v >> 16)), set_be16(at + 2, uint16_t(v)); }

  size_t size() const { return pos_; }                          // full logical length
  size_t written() const { return pos_ < cap_ ? pos_ : cap_; }  // bytes actually stored

 private:
  uint8_t* out_;
  size_t cap_;
  size_t pos_ = 0;
};

}  // namespace stmfd::scsi
