#include "wire/crc32c.hpp"

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

// "Shift by n zero bytes" is linear in the state, so it is four table
// lookups once the images of the 32 state bits are known. This lets three
// independent crc32 streams run interleaved (the instruction has a latency
// of 3 and a throughput of 1) and be joined afterwards:
//   update(s, A||B) = shift(update(s, A), |B|) ^ update(0, B).
class zero_shifter {
 public:
  explicit zero_shifter(size_t n) {
    static const uint8_t zeros[4096] = {};
    uint32_t basis[32];
    for (int bit = 0; bit < 32; ++bit) {
      uint32_t s = 1u << bit;
      for (size_t left = n; left > 0;) {
        size_t chunk = left < sizeof(zeros) ? left : sizeof(zeros);
        s = table_update(s, zeros, chunk);
        left -= chunk;
      }
      basis[bit] = s;
    }
    for (int k = 0; k < 4; ++k)
      for (uint32_t v = 0; v < 256; ++v) {
        uint32_t acc = 0;
        for (int j = 0; j < 8; ++j)
          if (v & (1u << j)) acc ^= basis[8 * k + j];
        t_[k][v] = acc;
      }
  }
  uint32_t operator()(uint32_t s) const {
    return t_[0][s & 0xFF] ^ t_[1][(s >> 8) & 0xFF] ^ t_[2][(s >> 16) & 0xFF] ^ t_[3][s >> 24];
  }

 private:
  uint32_t t_[4][256];
};

constexpr size_t big_block = 4096;
constexpr size_t small_block = 256;

const zero_shifter& big_shift() {
  static const zero_shifter s(big_block);
  return s;
}
const zero_shifter& small_shift() {
  static const zero_shifter s(small_block);
  return s;
}

__attribute__((target("sse4.2"))) uint32_t hw_serial(uint32_t s, const uint8_t* p, size_t len) {
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

// Three streams of `block` bytes each; block is a multiple of 8.
__attribute__((target("sse4.2"))) uint32_t hw_three_way(uint32_t s, const uint8_t* p, size_t block,
                                                          const zero_shifter& shift) {
  uint64_t a = s, b = 0, c = 0;
  const uint8_t* pb = p + block;
  const uint8_t* pc = p + 2 * block;
  for (size_t i = 0; i < block; i += 8) {
    uint64_t wa, wb, wc;
    std::memcpy(&wa, p + i, 8);
    std::memcpy(&wb, pb + i, 8);
    std::memcpy(&wc, pc + i, 8);
    a = _mm_crc32_u64(a, wa);
    b = _mm_crc32_u64(b, wb);
    c = _mm_crc32_u64(c, wc);
  }
  uint32_t r = shift(static_cast<uint32_t>(a)) ^ static_cast<uint32_t>(b);
  return shift(r) ^ static_cast<uint32_t>(c);
}

uint32_t hw_update(uint32_t s, const uint8_t* p, size_t len) {
  if (len >= 3 * big_block) {
    const zero_shifter& shift = big_shift();
    do {
      s = hw_three_way(s, p, big_block, shift);
      p += 3 * big_block;
      len -= 3 * big_block;
    } while (len >= 3 * big_block);
  }
  if (len >= 3 * small_block) {
    const zero_shifter& shift = small_shift();
    do {
      s = hw_three_way(s, p, small_block, shift);
      p += 3 * small_block;
      len -= 3 * small_block;
    } while (len >= 3 * small_block);
  }
  return hw_serial(s, p, len);
}

bool cpu_has_sse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}

#endif  // STMFD_CRC32C_X86

using update_fn = uint32_t (*)(uint32_t, const uint8_t*, size_t);

update_fn pick_update() {
#ifdef STMFD_CRC32C_X86
  if (cpu_has_sse42()) return hw_update;
#endif
  return table_update;
}

}  // namespace

uint32_t crc32c_update(uint32_t state, const void* data, size_t len) {
  static const update_fn fn = pick_update();
  return fn(state, static_cast<const uint8_t*>(data), len);
}

uint32_t crc32c(const void* data, size_t len) {
  return crc32c_final(crc32c_update(crc32c_init, data, len));
}

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

bool crc32c_hw_available() {
#ifdef STMFD_CRC32C_X86
  return cpu_has_sse42();
#else
  return false;
#endif
}

}  // namespace detail
}  // namespace stmfd::wire
