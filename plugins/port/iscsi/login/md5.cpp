#include "plugins/port/iscsi/login/md5.hpp"

#include <nettle/md5.h>

#include <new>
#include <type_traits>

// nettle maps md5_digest to nettle_md5_digest by macro; here md5_digest is our
// type, so the function is called by its real name.
#undef md5_digest

namespace stmfd::iscsi::login {
namespace {

static_assert(std::is_trivially_copyable_v<md5_ctx>);
static_assert(sizeof(md5_ctx) <= sizeof(md5) && alignof(md5_ctx) <= 8, "md5::ctx_ cannot hold nettle's md5_ctx");
static_assert(std::tuple_size_v<md5_digest> == MD5_DIGEST_SIZE);

md5_ctx* ctx_of(unsigned char* storage) { return std::launder(reinterpret_cast<md5_ctx*>(storage)); }

}  // namespace

md5::md5() { nettle_md5_init(new (ctx_) md5_ctx); }

void md5::update(const void* data, size_t len) {
  if (len == 0) return;  // data may be null then
  nettle_md5_update(ctx_of(ctx_), len, static_cast<const uint8_t*>(data));
}

md5_digest md5::finish() {
  md5_digest out;
  nettle_md5_digest(ctx_of(ctx_), out.size(), out.data());
  return out;
}

md5_digest md5_of(const void* data, size_t len) {
  md5 h;
  h.update(data, len);
  return h.finish();
}

}  // namespace stmfd::iscsi::login
