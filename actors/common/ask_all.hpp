#pragma once
// ask_all: one request to several actors at once, the answers gathered.
// CAF 0.17 has no fan-out request; this is the small one the framework and
// providers share (STMF asking its port providers, a provider its local
// ports). `finish` runs once, on the asking actor, with the answers that
// came back in time, in the order of `to` (an actor that failed or timed
// out is left out); with no actors it runs at once.
#include <chrono>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/event_based_actor.hpp>

namespace stmfd {

// ask_each: the same, but `finish` gets one slot per actor of `to`, in
// that order, empty for one that failed or timed out (the caller knows
// which actor each answer is from).
template <class Answer, class Finish, class... Ts>
void ask_each(caf::event_based_actor* self, const std::vector<caf::actor>& to, std::chrono::milliseconds timeout,
              Finish finish, Ts... xs) {
  struct state {
    Finish finish;
    size_t waiting;
    std::vector<std::optional<Answer>> got;
    void one_done() {
      if (--waiting == 0) finish(std::move(got));
    }
  };
  if (to.empty()) {
    finish(std::vector<std::optional<Answer>>{});
    return;
  }
  auto st = std::make_shared<state>(state{std::move(finish), to.size(), {}});
  st->got.resize(to.size());
  for (size_t i = 0; i < to.size(); ++i)
    self->request(to[i], timeout, xs...)
        .then(
            [st, i](Answer& a) {
              st->got[i] = std::move(a);
              st->one_done();
            },
            [st](caf::error&) { st->one_done(); });
}

template <class Answer, class Finish, class... Ts>
void ask_all(caf::event_based_actor* self, const std::vector<caf::actor>& to, std::chrono::milliseconds timeout,
             Finish finish, Ts... xs) {
  ask_each<Answer>(
      self, to, timeout,
      [finish = std::move(finish)](std::vector<std::optional<Answer>>&& got) mutable {
        std::vector<Answer> out;
        for (auto& a : got)
          if (a) out.push_back(std::move(*a));
        finish(std::move(out));
      },
      xs...);
}

}  // namespace stmfd
