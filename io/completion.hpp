#pragma once

#include <cstdint>

#include <caf/meta/type_name.hpp>

namespace stmfd::io {

// The one message the io engine sends into CAF: request `cookie` finished.
// `result` is bytes transferred, a new fd (accept) or 0 (fsync) on success,
// and -errno on failure; -ECANCELED means the request was cancelled (cancel_fd
// or the ring stopped) and is safe to retry on a new ring.
struct completion {
  uint64_t cookie = 0;
  int32_t result = 0;
};

// 0.17-style inspect: makes `completion` a legal CAF message without a type
// ID. Register it with cfg.add_message_type<completion>("stmfd::io::completion")
// only if it must cross a process boundary.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, completion& x) {
  return f(caf::meta::type_name("stmfd::io::completion"), x.cookie, x.result);
}

}  // namespace stmfd::io
