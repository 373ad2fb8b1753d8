#include "actors/lu/sync_span.hpp"

#include <algorithm>

namespace stmfd {

sync_span sync_span_of(const io_step& s, const std::vector<byte_range>& ranges) {
  if (s.store == io_step::store_kind::medium) return {};
  switch (s.kind) {
    case io_step::op::write:
    case io_step::op::flush: return s.length == 0 ? sync_span{} : sync_span{s.offset, s.length};
    case io_step::op::write_same:
    case io_step::op::deallocate: {
      uint64_t lo = UINT64_MAX, hi = 0;
      for (const auto& r : ranges) {
        if (r.length == 0) continue;
        lo = std::min(lo, r.offset);
        hi = std::max(hi, r.offset + r.length);  // ranges lie inside the store: no overflow
      }
      return hi > lo ? sync_span{lo, hi - lo} : sync_span{};
    }
    default: return {};
  }
}

}  // namespace stmfd
