#include "wire/crc32c.hpp"

#include <isa-l/crc.h>

#include <climits>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define STMFD_CRC32C_X86 1
#endif

namespace stmfd::wire {
namespace {

// Bit-reflected form of the Castagnoli polynomial 0x1EDC6F41 (RFC 7143 13.1).
constexpr uint32_t reflected_poly = 0x82F63B78u;

// Slicing-by-8 tables: t[0] is the classic byte table; t[k][b] advances the
// contribution of byte b by k further zero bytes.
struct slice_tables {
  uint32_t t[8][256];
};

constexpr slice_tables make_slice_tables() {
  slice_tables r{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ ((c & 1u) ? reflected_poly : 0u);
    r.t[0][i] = c;
  }
  for (int s = 1; s < 8; ++s)
    for (int i = 0; i < 256; ++i) r.t[s][i] = (r.t[s - 1][i] >> 8) ^ r.t[0][r.t[s - 1][i] & 0xFFu];
  return r;
}

constexpr slice_tables tables = make_slice_tables();

inline uint64_t load_le64(const uint8_t* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  w = __builtin_bswap64(w);
#endif
  return w;
}

uint32_t table_update(uint32_t s, const uint8_t* p, size_t len) {
  const auto& t = tables.t;
  while (len >= 8) {
    uint64_t w = load_le64(p) ^ s;
    s = t[7][w & 0xFF] ^ t[6][(w >> 8) & 0xFF] ^ t[5][(w >> 16) & 0xFF] ^ t[4][(w >> 24) & 0xFF] ^
        t[3][(w >> 32) & 0xFF] ^ t[2][(w >> 40) & 0xFF] ^ t[1][(w >> 48) & 0xFF] ^ t[0][w >> 56];
    p += 8;
    len -= 8;
  }
  while (len--) s = (s >> 8) ^ t[0][(s ^ *p++) & 0xFFu];
  return s;
}

#ifdef STMFD_CRC32C_X86

// One crc32 instruction stream, 8 bytes per step. Used only below
// isal_min_len, where it beats ISA-L's call overhead.
__attribute__((target("sse4.2"))) uint32_t hw_update(uint32_t s, const uint8_t* p, size_t len) {
  uint64_t c = s;
  while (len >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    c = _mm_crc32_u64(c, w);
    p += 8;
    len -= 8;
  }
  s = static_cast<uint32_t>(c);
  while (len--) s = _mm_crc32_u8(s, *p++);
  return s;
}

bool cpu_has_sse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}

#endif  // STMFD_CRC32C_X86

// From this length on ISA-L's crc32_iscsi is faster than our loop, below it
// slower (docs/crc32c.md: at 48 bytes ours takes 4.9 ns, ISA-L 7.3 ns; at
// 256 bytes 15.8 against 10.0; at 4 KiB ISA-L is about twice as fast).
constexpr size_t isal_min_len = 256;

// ISA-L's crc32_iscsi is the same raw register update as ours (no inversion
// of seed or result), so states pass between the two freely. Its length is
// an int: longer buffers go in chunks.
uint32_t isal_update(uint32_t s, const uint8_t* p, size_t len) {
  constexpr size_t max_chunk = size_t{INT_MAX} & ~size_t{4095};
  while (len > 0) {
    size_t n = len < max_chunk ? len : max_chunk;
    s = crc32_iscsi(const_cast<uint8_t*>(p), static_cast<int>(n), s);
    p += n;
    len -= n;
  }
  return s;
}

using update_fn = uint32_t (*)(uint32_t, const uint8_t*, size_t);

// For lengths below isal_min_len.
update_fn pick_short_update() {
#ifdef STMFD_CRC32C_X86
  if (cpu_has_sse42()) return hw_update;
#endif
  return table_update;
}

}  // namespace

uint32_t crc32c_update(uint32_t state, const void* data, size_t len) {
  if (len >= isal_min_len) return isal_update(state, static_cast<const uint8_t*>(data), len);
  static const update_fn short_fn = pick_short_update();
  return short_fn(state, static_cast<const uint8_t*>(data), len);
}

uint32_t crc32c(const void* data, size_t len) { return crc32c_final(crc32c_update(crc32c_init, data, len)); }

void put_digest(uint8_t out[4], uint32_t digest) {
  out[0] = static_cast<uint8_t>(digest);
  out[1] = static_cast<uint8_t>(digest >> 8);
  out[2] = static_cast<uint8_t>(digest >> 16);
  out[3] = static_cast<uint8_t>(digest >> 24);
}

uint32_t get_digest(const uint8_t in[4]) {
  return uint32_t(in[0]) | uint32_t(in[1]) << 8 | uint32_t(in[2]) << 16 | uint32_t(in[3]) << 24;
}

namespace detail {

uint32_t crc32c_update_table(uint32_t state, const void* data, size_t len) {
  return table_update(state, static_cast<const uint8_t*>(data), len);
}

uint32_t crc32c_update_hw(uint32_t state, const void* data, size_t len) {
#ifdef STMFD_CRC32C_X86
  if (cpu_has_sse42()) return hw_update(state, static_cast<const uint8_t*>(data), len);
#endif
  return table_update(state, static_cast<const uint8_t*>(data), len);
}

uint32_t crc32c_update_isal(uint32_t state, const void* data, size_t len) {
  return isal_update(state, static_cast<const uint8_t*>(data), len);
}

bool crc32c_hw_available() {
#ifdef STMFD_CRC32C_X86
  return cpu_has_sse42();
#else
  return false;
#endif
}

}  // namespace detail
}  // namespace stmfd::wire
