#pragma once
// MD5 (RFC 1321), needed only for CHAP with algorithm 5 (RFC 1994, RFC 7143
// 12.1.3). Not for any other use. The digest is computed by nettle; this
// header keeps nettle out of its includers (nettle/md5.h defines a macro
// named md5_digest).

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
  // Holds nettle's struct md5_ctx (trivially copyable; md5.cpp checks that it
  // fits), so a copy of an md5 continues the same running digest.
  alignas(8) unsigned char ctx_[96];
};

md5_digest md5_of(const void* data, size_t len);

}  // namespace stmfd::iscsi::login
