#pragma once
// MD5 (RFC 1321), needed only for CHAP with algorithm 5 (RFC 1994, RFC 7143
// 12.1.3). Not for any other use.

#include <array>
#include <cstddef>
#include <cstdint>

namespace stmfd::iscsi::login {

using md5_digest = std::array<uint8_t, 16>;

class md5 {
 public:
  md5();
  void update(const void* data, size_t len);
  // Pads, returns the digest; the object must not be updated afterwards.
  md5_digest finish();

 private:
  void block(const uint8_t* p);
  uint32_t a_, b_, c_, d_;
  uint64_t total_ = 0;    // bytes fed so far
  uint8_t buf_[64] = {};  // partial block
  size_t buf_len_ = 0;
};

md5_digest md5_of(const void* data, size_t len);

}  // namespace stmfd::iscsi::login
