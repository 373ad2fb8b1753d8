#include "plugins/lu/sbd/mode_pages.hpp"

#include <array>
#include <cstring>

namespace stmfd::sbd::mode_pages {

namespace {

// SBC-3 6.4.5 Caching page: WCE changeable; RCD 0 (read cache enabled).
void caching_fill(uint8_t* p, const mode_state& v, bool mask) {
  std::memset(p, 0, 2 + 0x12);
  p[0] = 0x08;
  p[1] = 0x12;
  p[2] = mask ? 0x04 : (v.wce ? 0x04 : 0x00);
}
void caching_apply(const uint8_t* p, mode_state& v) { v.wce = p[2] & 0x04; }

// SPC-4 7.5.8 Control page: TST 000b, GLTSD 1 (no log parameters are
// saved), QUEUE ALGORITHM MODIFIER 0 (restricted reordering: the task set
// keeps overlapping commands in order), QERR 00b, TAS 0, BUSY TIMEOUT
// PERIOD FFFFh (unlimited). D_SENSE and SWP are changeable.
void control_fill(uint8_t* p, const mode_state& v, bool mask) {
  std::memset(p, 0, 2 + 0x0A);
  p[0] = 0x0A;
  p[1] = 0x0A;
  if (mask) {
    p[2] = 0x04;
    p[4] = 0x08;
    return;
  }
  p[2] = uint8_t(0x02 | (v.d_sense ? 0x04 : 0x00));
  p[4] = v.swp ? 0x08 : 0x00;
  p[8] = 0xFF;
  p[9] = 0xFF;
}
void control_apply(const uint8_t* p, mode_state& v) {
  v.d_sense = p[2] & 0x04;
  v.swp = p[4] & 0x08;
}

// SPC-4 7.5.11 Informational Exceptions Control: DEXCPT 1 (no exception
// reporting), nothing changeable.
void iec_fill(uint8_t* p, const mode_state&, bool mask) {
  std::memset(p, 0, 2 + 0x0A);
  p[0] = 0x1C;
  p[1] = 0x0A;
  if (!mask) p[2] = 0x08;
}
void iec_apply(const uint8_t*, mode_state&) {}

constexpr std::array<page_spec, 3> table = {{
    {0x08, 0x12, caching_fill, caching_apply, false},
    {0x0A, 0x0A, control_fill, control_apply, true},
    {0x1C, 0x0A, iec_fill, iec_apply, false},
}};

}  // namespace

std::span<const page_spec> pages() { return table; }

const page_spec* find(uint8_t code) {
  for (const auto& p : table)
    if (p.code == code) return &p;
  return nullptr;
}

bool shared_pages_differ(const mode_state& a, const mode_state& b) {
  for (const auto& p : table) {
    if (p.per_nexus) continue;
    uint8_t pa[max_page_len], pb[max_page_len];
    p.fill(pa, a, false);
    p.fill(pb, b, false);
    if (std::memcmp(pa, pb, size_t(p.length) + 2) != 0) return true;
  }
  return false;
}

}  // namespace stmfd::sbd::mode_pages
