#include "io/io_actor.hpp"

#include <cstring>
#include <string>

#include <caf/sec.hpp>

namespace stmfd::io {

io_actor_state::~io_actor_state() {
  // The state dies in on_exit(), i.e. on every kind of exit.
  if (ring_) ring_->stop();
}

caf::behavior io_actor(caf::stateful_actor<io_actor_state>* self, ring::options opts) {
  self->state.ring_ = std::make_shared<ring>(std::move(opts));
  if (!self->state.ring_->ok()) {
    const int err = self->state.ring_->init_error();
    self->quit(caf::make_error(caf::sec::runtime_error, std::string("io_uring setup failed: ") + std::strerror(err)));
    return {};
  }
  self->state.ring_->set_owner(self->address());
  return {
      [=](get_ring_atom) { return self->state.ring_; },
      [=](owner_fault_atom) {  // io/faults.hpp io_actor: fail like a real bug (the ring stops with us)
        self->quit(caf::make_error(caf::sec::runtime_error, "fault injected: io.actor"));
      },
      [=](get_stats_atom) {
        const auto& r = *self->state.ring_;
        return caf::make_message(r.submitted(), r.completed());
      },
  };
}

}  // namespace stmfd::io
