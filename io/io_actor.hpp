#pragma once

#include <cstdint>
#include <memory>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "io/ring.hpp"

namespace stmfd::io {

// Requests the io actor answers:
//   get_ring_atom            -> std::shared_ptr<ring>
//   get_stats_atom           -> (uint64_t submitted, uint64_t completed)
using get_ring_atom = caf::atom_constant<caf::atom("get_ring")>;
using get_stats_atom = caf::atom_constant<caf::atom("io_stats")>;

// The supervision point for one ring. Clients fetch the ring once and submit
// to it directly (no message hop per I/O). When the actor exits, for any
// reason, its ring stops: in-flight requests complete with -ECANCELED, which
// LUs treat as retryable; a supervisor that respawns the actor gets a new
// ring. Clients holding the old pointer keep a valid object whose
// submissions complete at once with -ECANCELED.
//
// If io_uring setup fails the actor quits at once with sec::runtime_error
// (the context names the errno), so its monitor sees a down_msg.
struct io_actor_state {
  std::shared_ptr<ring> ring_;

  io_actor_state() = default;
  io_actor_state(const io_actor_state&) = delete;
  io_actor_state& operator=(const io_actor_state&) = delete;
  ~io_actor_state();

  static inline const char* name = "stmfd.io";
};

caf::behavior io_actor(caf::stateful_actor<io_actor_state>* self, ring::options opts);

}  // namespace stmfd::io

// The ring pointer only travels inside one process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<stmfd::io::ring>)
