#include "actors/lu/sync_span.hpp"

namespace stmfd {

sync_span sync_span_of(const io_step& s) {
  if (s.store == io_step::store_kind::medium || s.kind != io_step::op::flush || s.length == 0) return {};
  return {s.offset, s.length};
}

}  // namespace stmfd
