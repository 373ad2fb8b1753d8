#pragma once
// Descriptor builders shared by the EXTENDED COPY parser tests (LID1 in
// xcopy_test.cpp, LID4 in xcopy_lid4_test.cpp): SPC-4 6.3.6.2 / 6.4.5
// identification CSCD descriptors and 6.3.7.5 block to block segments.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace stmfd::test::xcopy_lists {

using bytes = std::vector<uint8_t>;

// Big-endian v into b[at .. at+n).
inline void put(bytes& b, size_t at, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i, v >>= 8) b[at + size_t(i)] = uint8_t(v);
}

// An identification CSCD descriptor naming a 16-byte NAA designator.
inline bytes cscd_e4(uint8_t naa_first = 0x60, uint32_t block_length = 512) {
  bytes d(32, 0);
  d[0] = 0xE4;
  d[4] = 0x01;  // binary
  d[5] = 0x03;  // association LU, NAA
  d[7] = 16;
  d[8] = naa_first;
  put(d, 29, block_length, 3);
  return d;
}

inline bytes segment_b2b(uint16_t src, uint16_t dst, uint16_t blocks, uint64_t src_lba, uint64_t dst_lba) {
  bytes d(28, 0);
  d[0] = 0x02;
  put(d, 2, 0x18, 2);
  put(d, 4, src, 2);
  put(d, 6, dst, 2);
  put(d, 10, blocks, 2);
  put(d, 12, src_lba, 8);
  put(d, 20, dst_lba, 8);
  return d;
}

}  // namespace stmfd::test::xcopy_lists
