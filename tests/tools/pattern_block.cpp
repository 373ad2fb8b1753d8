#include "tests/tools/pattern_block.hpp"

#include <algorithm>
#include <cstring>

namespace stmfd::tools {
namespace {

constexpr std::uint8_t magic[8] = {'S', 'T', 'M', 'F', 'D', 'P', 'A', 'T'};

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void put64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint64_t get64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// The body: a splitmix stream keyed by (seed, lba, write id), 8 bytes a step.
template <typename Visit>
void body_stream(std::uint64_t seed, std::uint64_t lba, std::uint64_t id, std::size_t len, Visit visit) {
  std::uint64_t state = splitmix(seed ^ splitmix(lba ^ splitmix(id)));
  std::uint8_t word[8];
  for (std::size_t off = 0; off < len; off += 8) {
    state = splitmix(state);
    put64(word, state);
    std::size_t n = std::min<std::size_t>(8, len - off);
    if (!visit(off, word, n)) return;
  }
}

}  // namespace

void fill_block(std::span<std::uint8_t> out, std::uint64_t seed, std::uint64_t lba, std::uint64_t write_id) {
  std::memcpy(out.data(), magic, sizeof magic);
  put64(out.data() + 8, lba);
  put64(out.data() + 16, write_id);
  put64(out.data() + 24, seed);
  std::uint8_t* body = out.data() + pattern_header_bytes;
  body_stream(seed, lba, write_id, out.size() - pattern_header_bytes,
              [&](std::size_t off, const std::uint8_t* w, std::size_t n) {
                std::memcpy(body + off, w, n);
                return true;
              });
}

block_content decode_block(std::span<const std::uint8_t> in, std::uint64_t seed, std::uint64_t lba) {
  using kind = block_content::kind;
  if (std::all_of(in.begin(), in.end(), [](std::uint8_t b) { return b == 0; })) return {kind::blank, 0};
  if (in.size() < pattern_header_bytes || std::memcmp(in.data(), magic, sizeof magic) != 0 ||
      get64(in.data() + 24) != seed)
    return {kind::foreign, 0};
  std::uint64_t id = get64(in.data() + 16);
  if (get64(in.data() + 8) != lba || id == 0) return {kind::damaged, id};
  bool intact = true;
  const std::uint8_t* body = in.data() + pattern_header_bytes;
  body_stream(seed, lba, id, in.size() - pattern_header_bytes,
              [&](std::size_t off, const std::uint8_t* w, std::size_t n) {
                intact = std::memcmp(body + off, w, n) == 0;
                return intact;
              });
  return {intact ? kind::ours : kind::damaged, id};
}

}  // namespace stmfd::tools
