#include "fakes.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

#include "actors/common/messages.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd::iscsi::test {

namespace {

void complete(caf::event_based_actor* self, task_ptr t) {
  auto task = t->task;
  task.setStatus(scsi::status::good);
  uint32_t edtl = task.getExpectedLength();
  if (task.getDirection() == wire::Direction::READ && t->data) {
    std::memset(t->data.data, int(task.getTaskTag() & 0xff), std::min(edtl, t->data.capacity));
    task.setDataInLength(edtl);
  }
  task.setCommandLength(task.getDirection() == wire::Direction::WRITE ? task.getDataOutLength() : edtl);
  task.setCompleted(true);
  if (auto p = t->port.get()) self->send(p, done_atom::value, std::move(t));  // the LU answers the port
}

}  // namespace

caf::behavior fake_lu(caf::event_based_actor* self) {
  struct state {
    bool hold = false;
    std::vector<task_ptr> held;
    std::vector<xfer_record> xfers;
    bytes last_write;
    bytes last_cdb;
  };
  auto st = std::make_shared<state>();
  // Runs a task as the LU shell does: a write whose Data-Out is not all
  // there asks the port for the rest (the port provides the buffer).
  auto run = [self, st](task_ptr t) {
    auto task = t->task;
    uint32_t have = task.getDataOutLength(), want = task.getExpectedLength();
    if (task.getDirection() != wire::Direction::WRITE || have >= want) {
      if (task.getDirection() == wire::Direction::WRITE && t->data)
        st->last_write.assign(t->data.data, t->data.data + have);
      complete(self, std::move(t));
      return;
    }
    auto port = t->port.get();
    st->xfers.push_back({task.getTaskTag(), have, want - have, false, false});
    size_t index = st->xfers.size() - 1;
    request_data_out(*t, have, want - have, true);
    self->request(port, std::chrono::seconds(60), xfer_atom::value, t)
        .then(
            [self, st, t, index, want, n = want - have](xfer_atom, task_ptr&) mutable {
              auto c = transfer_completion(*t);
              const bool ok = c.getStatus() == wire::TransferStatus::OK && c.getBytesMoved() == n;
              st->xfers[index].answered = true;
              st->xfers[index].ok = ok;
              if (!ok) t->aborted.store(true);
              if (ok) {
                t->task.setDataOutLength(want);
                st->last_write.assign(t->data.data, t->data.data + want);
              }
              if (ok)
                complete(self, std::move(t));
              else if (auto p = t->port.get()) {  // ends untouched: the port decides what to say
                t->task.setCompleted(true);
                self->send(p, done_atom::value, std::move(t));
              }
            },
            [st, index](caf::error&) { st->xfers[index].answered = true; });
  };
  return {
      [st, run](execute_atom, task_ptr& t) {
        auto cdb = t->task.getCdb();
        st->last_cdb.assign(cdb.begin(), cdb.end());
        if (st->hold)
          st->held.push_back(std::move(t));
        else
          run(std::move(t));
      },
      [st](get_atom, xfer_atom) { return st->xfers; },
      [st](get_atom, written_atom) { return st->last_write; },
      [st](get_atom, cdb_atom) { return st->last_cdb; },
      [st](hold_atom, bool on) {
        st->hold = on;
        return on;
      },
      [st, run](release_atom) {
        for (auto& t : st->held) run(std::move(t));
        size_t n = st->held.size();
        st->held.clear();
        return n;
      },
  };
}

caf::behavior fake_stmf(caf::event_based_actor*, caf::actor lu) {
  return {
      [lu](login_atom, const nexus_request& r) {
        local_port port{transport::iscsi, target_name, 1, 1, {}};
        return make_grant(1, {lun_entry{0, "fake", lu}}, std::make_shared<task_pool>(r.get().getCommandWindow()),
                          &port);
      },
      [](logout_atom, const nexus_detach&) {},
      [](logout_atom, const nexus_detach&, done_atom) { return done_atom::value; },  // a logout's detach
  };
}

port_settings test_settings(uint32_t cmd_window) {
  port_settings s;
  s.cmd_window = cmd_window;
  return s;
}

}  // namespace stmfd::iscsi::test
