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
  return {
      [=](get_ring_atom) { return self->state.ring_; },
      [=](get_stats_atom) {
        const auto& r = *self->state.ring_;
        return caf::make_message(r.submitted(), r.completed());
      },
  };
}

}  // namespace stmfd::io
