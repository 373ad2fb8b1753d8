#include "actors/lu/lu_actor.hpp"

#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/log.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

namespace {
constexpr size_t small_reply_cap = 64 * 1024;

sbd::geometry geometry_of(const lu_definition& d, const backing_store& s) {
  sbd::geometry g;
  g.block_size = d.block_size;
  g.block_count = s.size() / d.block_size;
  g.read_only = d.read_only;
  return g;
}
}  // namespace

lu_actor::lu_actor(caf::actor_config& cfg, lu_definition def, std::shared_ptr<backing_store> store,
                   std::shared_ptr<io::ring> ring, bool power_on_ua)
    : caf::event_based_actor(cfg),
      def_(std::move(def)),
      store_(std::move(store)),
      ring_(std::move(ring)),
      disk_(def_.id, geometry_of(def_, *store_), def_.write_cache),
      scratch_(small_reply_cap) {
  // SAM-5 6.3.1: after a (re)start every I_T nexus learns of it through a
  // POWER ON, RESET, OR BUS DEVICE RESET OCCURRED unit attention.
  if (power_on_ua) ua_.power_on();
}

caf::behavior lu_actor::make_behavior() {
  return {
      [this](execute_atom, task_ptr& t) { on_execute(std::move(t)); },
      [this](const io::completion& c) { on_io_done(c); },
      [this](tmf_atom, const tmf_request& r) { on_tmf(r); },
      [this](power_on_atom) { ua_.power_on(); },
  };
}

void lu_actor::on_execute(task_ptr t) {
  if (faults::hit(faults::point::lu_execute)) {
    quit(caf::make_error(caf::sec::runtime_error, "fault injected: lu.execute"));
    return;
  }
  auto task = t->task;
  auto cdb = task.getCdb();
  uint64_t nexus = task.getNexus();
  // Generic precheck (SPC-4 5.14 / SAM-5 5.14): a pending unit attention
  // fails every command but the few the row marks as allowed.
  auto flags = sbd::disk::flags_for(cdb.begin(), cdb.size());
  if (flags.known && !flags.allowed_with_ua) {
    if (auto ua = ua_.take(nexus)) {
      sbd::outcome o;
      o.status = scsi::status::check_condition;
      o.sense = scsi::sense_info{*ua, std::nullopt, std::nullopt};
      complete(t, o, nullptr);
      return;
    }
  }
  sbd::port_identity const* port = nullptr;
  for (auto& p : def_.ports)
    if (p.relative_port_id == task.getRelativePortId()) port = &p;
  pending p;
  p.cmd.cdb = cdb.begin();
  p.cmd.cdb_len = cdb.size();
  p.cmd.expected_length = task.getExpectedLength();
  p.cmd.data_out = t->data.data;
  p.cmd.data_out_len = task.getDataOutLength();
  p.cmd.port = port;
  // SPC-4 6.39: REQUEST SENSE reports (and so clears) a pending unit attention.
  std::optional<scsi::sense_info> pending_ua;
  if (flags.reports_pending_sense) {
    if (auto ua = ua_.take(nexus)) pending_ua = scsi::sense_info{*ua, std::nullopt, std::nullopt};
    if (pending_ua) p.cmd.pending_sense = &*pending_ua;
  }
  p.plan = disk_.execute(p.cmd, scratch_.data(), scratch_.size());
  p.cmd.pending_sense = nullptr;  // pointed at this frame's local
  if (p.plan.mode_changed) ua_.post_all_except(nexus, scsi::sense::mode_parameters_changed());
  if (p.plan.what == sbd::outcome::kind::done) {
    complete(t, p.plan, scratch_.data());
    return;
  }
  // The bytes the CDB asks to move, for the transport's residuals. With
  // less Data-Out than that the core plans only the whole blocks that
  // arrived (RFC 7143 11.4.5.1; libiscsi's Write*Residuals).
  task.setCommandLength(p.plan.transfer_length ? p.plan.transfer_length : p.plan.data_in ? p.plan.buffer_len : 0);
  if (p.plan.data_in) {
    if (t->data && t->data.capacity < p.plan.buffer_len) t->release_data();
    if (!t->data) t->data = io::buffer_pool::global().acquire(std::max<uint32_t>(p.plan.buffer_len, 1));
  } else if (p.plan.buffer_len > 0) {
    p.scratch = io::buffer_pool::global().acquire(p.plan.buffer_len);
  }
  if ((p.plan.data_in && !t->data) || (!p.plan.data_in && p.plan.buffer_len > 0 && !p.scratch)) {
    sbd::outcome o;
    o.status = scsi::status::busy;  // out of buffer memory: the initiator retries
    complete(t, o, nullptr);
    return;
  }
  p.t = std::move(t);
  uint64_t cookie = next_cookie_++;
  auto [it, ok] = inflight_.emplace(cookie, std::move(p));
  start_step(cookie, it->second);
}

uint8_t* lu_actor::step_buffer(pending& p, const sbd::io_step& s) {
  if (s.kind == sbd::io_step::op::write) return const_cast<uint8_t*>(p.cmd.data_out) + s.buf_offset;
  uint8_t* base = p.plan.data_in ? p.t->data.data : p.scratch.data;
  return base + s.buf_offset;
}

// Runs the plan's steps one after another. RAM stores complete inline; file
// and block stores go through the ring and come back as io::completion.
void lu_actor::start_step(uint64_t cookie, pending& p) {
  while (p.step < p.plan.nsteps) {
    const auto& s = p.plan.steps[p.step];
    if (store_->kind() == lu_definition::backing_kind::ram) {
      uint8_t* buf = s.kind == sbd::io_step::op::flush ? nullptr : step_buffer(p, s);
      if (s.kind == sbd::io_step::op::read) std::memcpy(buf, store_->ram() + s.offset, s.length);
      if (s.kind == sbd::io_step::op::write) std::memcpy(store_->ram() + s.offset, buf, s.length);
      ++p.step;
      continue;
    }
    auto self = caf::actor_cast<caf::actor>(this);
    switch (s.kind) {
      case sbd::io_step::op::read:
        ring_->read(store_->fd(), step_buffer(p, s), s.length, s.offset, self, cookie);
        return;
      case sbd::io_step::op::write:
        if (s.length == 0) break;
        ring_->write(store_->fd(), step_buffer(p, s), s.length, s.offset, self, cookie);
        return;
      case sbd::io_step::op::flush:
        ring_->fsync(store_->fd(), true, self, cookie);
        return;
    }
    ++p.step;
  }
  finish(p, 0);
  inflight_.erase(cookie);
}

void lu_actor::on_io_done(const io::completion& c) {
  auto it = inflight_.find(c.cookie);
  if (it == inflight_.end()) return;
  if (faults::hit(faults::point::lu_io_done)) {
    quit(caf::make_error(caf::sec::runtime_error, "fault injected: lu.io_done"));
    return;
  }
  pending& p = it->second;
  const auto& s = p.plan.steps[p.step];
  int res = c.result;
  bool is_sync = s.kind == sbd::io_step::op::flush || p.fua_done;
  if (res >= 0 && !is_sync && uint32_t(res) < s.length) res = -EIO;  // short: beyond EOF
  if (res < 0) {
    if (res != -ECANCELED) log::warn("lu {}: I/O error {} at offset {}", def_.name, res, s.offset);
    finish(p, res);
    inflight_.erase(it);
    return;
  }
  if (s.kind == sbd::io_step::op::write && s.fua && !p.fua_done) {
    // FUA, or WCE=0 (SBC-4 4.12): the data must be durable before status.
    p.fua_done = true;
    ring_->fsync(store_->fd(), true, caf::actor_cast<caf::actor>(this), c.cookie);
    return;
  }
  p.fua_done = false;
  ++p.step;
  start_step(c.cookie, p);
}

void lu_actor::finish(pending& p, int io_result) {
  uint8_t failed = io_result < 0 ? p.step : 0;
  const uint8_t* buf = p.plan.data_in ? p.t->data.data : p.scratch.data;
  sbd::outcome o = disk_.finish(p.cmd, p.plan, io_result, failed, buf);
  if (o.status == scsi::status::good && p.plan.data_in) o.data_in_len = p.plan.buffer_len;
  if (p.scratch) io::buffer_pool::global().release(p.scratch);
  complete(p.t, o, nullptr);
}

// Writes the outcome into the task's ScsiTask and hands it back.
void lu_actor::complete(task_ptr& t, const sbd::outcome& o, const uint8_t* small_data) {
  auto task = t->task;
  task.setStatus(o.status);
  if (o.sense) {
    uint8_t buf[64];
    size_t n = scsi::build_sense(*o.sense, disk_.descriptor_sense(), buf, sizeof buf);
    task.setSense(capnp::Data::Reader(buf, n));
  }
  if (small_data != nullptr && o.data_in_len > 0) {
    if (t->data && t->data.capacity < o.data_in_len) t->release_data();
    if (!t->data) t->data = io::buffer_pool::global().acquire(o.data_in_len);
    std::memcpy(t->data.data, small_data, o.data_in_len);
  }
  task.setDataInLength(o.data_in_len);
  if (o.transfer_length) task.setCommandLength(o.transfer_length);
  if (task.getCommandLength() == 0) {
    task.setCommandLength(task.getDirection() == wire::Direction::WRITE ? task.getDataOutLength() : o.data_in_len);
  }
  task.setCompleted(true);
  if (auto actor = t->actor.get()) send(actor, done_atom::value, std::move(t));
}

void lu_actor::on_tmf(const tmf_request& r) {
  // SAM-5 7.7 / 7.11: resets establish a unit attention for the other I_T
  // nexuses; tasks of the requesting session were aborted by its port.
  switch (r.function) {
    case 5:  // LOGICAL UNIT RESET
      ua_.post_all_except(r.nexus, scsi::sense::bus_device_reset());
      break;
    case 6:  // TARGET WARM RESET
    case 7:  // TARGET COLD RESET
      ua_.post_all_except(r.nexus, scsi::sense::bus_reset());
      break;
    default:
      break;
  }
}

}  // namespace stmfd
