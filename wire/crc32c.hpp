#pragma once
// CRC32C (Castagnoli, generator 0x11EDC6F41) as used by iSCSI header and
// data digests, RFC 7143 13.1 and Appendix B.4.
//
// The state is the bit-reflected register also produced by the SSE4.2
// crc32 instruction and by ISA-L's crc32_iscsi. A digest is crc32c_final(crc32c_update(crc32c_init, ...)),
// and updates compose: update(update(s, A), B) == update(s, A||B), so a
// segment and its padding can be fed in separate calls.
//
// Wire order (RFC 7143 Appendix B.4): the least significant byte of the
// digest goes first, e.g. 32 zero bytes give digest 0x8A9136AA, sent as
// aa 36 91 8a. put_digest/get_digest are the only place that knows this.

#include <cstddef>
#include <cstdint>

namespace stmfd::wire {

// Raw update: no initial or final inversion.
uint32_t crc32c_update(uint32_t state, const void* data, size_t len);
constexpr uint32_t crc32c_init = 0xFFFFFFFFu;
inline uint32_t crc32c_final(uint32_t state) { return ~state; }

// init + update + final over one buffer.
uint32_t crc32c(const void* data, size_t len);

// The 4 digest bytes exactly as they go on the wire after a header/data segment.
void put_digest(uint8_t out[4], uint32_t digest);
uint32_t get_digest(const uint8_t in[4]);

namespace detail {
// The implementations, exposed so tests and tests/bench/crc32c_bench can
// compare them. crc32c_update uses ISA-L's crc32_iscsi from 256 bytes on and
// our own code below that (SSE4.2 when the CPU has it, else the table), each
// where it measured faster (docs/crc32c.md).
uint32_t crc32c_update_table(uint32_t state, const void* data, size_t len);
// Only meaningful when crc32c_hw_available(); otherwise forwards to the table.
uint32_t crc32c_update_hw(uint32_t state, const void* data, size_t len);
// ISA-L's crc32_iscsi (SIMD, picked by ISA-L for the CPU), any length.
uint32_t crc32c_update_isal(uint32_t state, const void* data, size_t len);
bool crc32c_hw_available();
}  // namespace detail

}  // namespace stmfd::wire
