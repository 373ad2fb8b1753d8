#include "actors/stmf/copy_manager.hpp"

#include <caf/all.hpp>

#include "actors/common/faults.hpp"
#include "actors/common/log.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/sense.hpp"

namespace stmfd {

namespace {

using namespace scsi::xcopy;
namespace key = scsi::sense_key;

// A unit attention is reported once per condition: a few in a row (a reset,
// then mode or LUN changes) are retried without limit on the count of other
// failures; BUSY and TASK SET FULL are retried after a pause, for about 5 s.
constexpr uint32_t max_ua_retries = 8;
constexpr uint32_t max_busy_retries = 250;
constexpr auto busy_pause = std::chrono::milliseconds(20);
using cm_retry_atom = caf::atom_constant<caf::atom("cm_retry")>;

// The sense key of a task's sense bytes (fixed or descriptor format).
uint8_t sense_key_of(capnp::Data::Reader s) {
  if (s.size() < 3) return 0;
  return (s[0] & 0x7F) >= 0x72 ? (s[1] & 0x0F) : (s[2] & 0x0F);
}

}  // namespace

copy_manager::copy_manager(caf::actor_config& cfg, copy_manager_start start)
    : caf::event_based_actor(cfg), st_(std::move(start)), pool_(std::make_shared<task_pool>(2)) {}

caf::behavior copy_manager::make_behavior() {
  // A target LU that ends with our command outstanding fails the copy.
  set_down_handler([this](caf::down_msg& m) {
    if (inflight_ && inflight_->lu.address() == m.source) {
      inflight_ = nullptr;
      finish(failure{scsi::status::check_condition, key::copy_aborted, 0x00, 0x00, int32_t(seg_), -1});
    }
  });
  return {
      [this](copy_atom, const copy_request& req, task_ptr& ec) -> caf::result<copy_result> {
        rp_ = make_response_promise();
        begin(req, std::move(ec));
        return caf::delegated<copy_result>{};
      },
      [this](done_atom, task_ptr& t) {
        if (faults::hit(faults::point::copy_command)) {  // STMF fails the EXTENDED COPY (stmf_copy.cpp)
          quit(caf::make_error(caf::sec::runtime_error, "fault injected: copy.command"));
          return;
        }
        on_done(std::move(t));
      },
      [this](cm_retry_atom) {  // BUSY / TASK SET FULL: the same command again
        if (!done_) issue(writing_);
      },
  };
}

void copy_manager::on_exit() {
  if (rp_.pending()) rp_.deliver(caf::make_error(caf::sec::runtime_error, "the copy manager failed"));
}

const copy_target* copy_manager::target(uint16_t id) const {
  if (id == cscd_id_local) return st_.local ? &*st_.local : nullptr;
  if (id >= st_.cscds.size() || !st_.cscds[id]) return nullptr;
  return &*st_.cscds[id];
}

// The block length a CSCD descriptor's segments count in: its own.
uint32_t copy_manager::block_length(uint16_t id) const { return target(id)->block_size; }

void copy_manager::begin(const copy_request& req, task_ptr ec) {
  auto r = req.get();
  token_ = r.getToken();
  ec_ = std::move(ec);
  auto params = r.getParameterList();
  auto parsed = parse_accepted_list(params.begin(), params.size());  // LID1 or LID4, as the LU shell took it
  if (!parsed.list) {  // the LU shell checked it: only an empty list gets here
    finish(std::nullopt);
    return;
  }
  list_ = std::move(*parsed.list);
  for (size_t i = 0; i < list_.segments.size(); ++i)
    if (auto f = check_segment(i)) {
      finish(f);
      return;
    }
  for (auto& t : st_.cscds)
    if (t && t->lu) monitor(t->lu);
  if (st_.local && st_.local->lu) monitor(st_.local->lu);
  seg_ = 0;
  seg_done_ = 0;
  next();
}

// SPC-4 6.3.7.5 (block device to block device): what can be known about a
// segment before any data moves.
std::optional<copy_manager::failure> copy_manager::check_segment(size_t i) const {
  const segment& s = list_.segments[i];
  const auto seg = int32_t(i);
  const copy_target* src = target(s.source);
  const copy_target* dst = target(s.destination);
  if (!src || !dst || !src->lu || !dst->lu)
    return failure{scsi::status::check_condition, key::copy_aborted, 0x0D, 0x02, seg, -1};
  for (uint16_t id : {s.source, s.destination}) {
    const copy_target* t = target(id);
    const bool typed_ok = id == cscd_id_local || list_.cscds[id].peripheral_type == 0;
    if (!t->block_device || !typed_ok)
      return failure{scsi::status::check_condition, key::copy_aborted, 0x0D, 0x03, seg, -1};
    if (id != cscd_id_local && list_.cscds[id].block_length != 0 && list_.cscds[id].block_length != t->block_size)
      return failure{scsi::status::check_condition,       key::illegal_request, 0x26, 0x00, -1,
                     int32_t(list_.cscds[id].offset + 29)};
  }
  const uint64_t bytes = uint64_t(s.blocks) * (s.dc ? dst->block_size : src->block_size);
  if (bytes > max_segment_length)
    return failure{scsi::status::check_condition, key::illegal_request, 0x26, 0x00, -1, int32_t(s.offset + 10)};
  if (bytes % src->block_size != 0 || bytes % dst->block_size != 0)
    return failure{scsi::status::check_condition, key::copy_aborted, 0x26, 0x0A, seg, -1};
  return std::nullopt;
}

uint64_t copy_manager::segment_bytes(size_t i) const {
  const segment& s = list_.segments[i];
  return uint64_t(s.blocks) * (s.dc ? block_length(s.destination) : block_length(s.source));
}

void copy_manager::next() {
  if (ec_ && ec_->aborted.load(std::memory_order_acquire)) {
    finish(std::nullopt);  // the LU shell reports the EXTENDED COPY aborted
    return;
  }
  while (seg_ < list_.segments.size() && seg_done_ >= segment_bytes(seg_)) {
    ++seg_;  // this segment is done (or had 0 blocks): report the progress
    seg_done_ = 0;
    auto progress = copy_result::make();
    auto b = progress.edit();
    b.setToken(token_);
    b.setSegmentsProcessed(uint16_t(seg_));
    b.setBytesCopied(total_);
    if (st_.shell) send(st_.shell, copy_atom::value, progress);
  }
  if (seg_ == list_.segments.size()) {
    finish(std::nullopt);
    return;
  }
  chunk_ = uint32_t(std::min<uint64_t>(chunk_bytes, segment_bytes(seg_) - seg_done_));
  retries_ = 0;
  issue(false);
}

void copy_manager::issue(bool write) {
  const segment& s = list_.segments[seg_];
  const uint16_t id = write ? s.destination : s.source;
  const copy_target* tg = target(id);
  task_ptr t = pool_->acquire();
  auto task = t->reset_message();
  task.setNexus(st_.nexus);
  task.setTaskTag(next_tag_++);
  task.setAttribute(wire::TaskAttribute::HEAD_OF_QUEUE);
  task.setRelativePortId(st_.relative_port_id);
  task.setTargetPortGroup(st_.target_port_group);
  uint8_t cdb[16] = {write ? uint8_t(0x8A) : uint8_t(0x88)};  // WRITE(16) / READ(16), SBC-3 5.32 / 5.15
  scsi::put_be64(cdb + 2, (write ? s.destination_lba : s.source_lba) + seg_done_ / tg->block_size);
  scsi::put_be32(cdb + 10, chunk_ / tg->block_size);
  task.setCdb(capnp::Data::Reader(cdb, sizeof cdb));
  task.setExpectedLength(chunk_);
  if (write) {
    task.setDirection(wire::Direction::WRITE);
    t->data = chunk_buf_;  // the read's buffer, by handle
    chunk_buf_ = io::buffer{};
    task.setDataOutLength(chunk_);
  } else {
    task.setDirection(wire::Direction::READ);
  }
  t->port = caf::actor_cast<caf::actor>(this);
  t->lu = tg->lu;
  writing_ = write;
  inflight_ = t;
  send(tg->lu, execute_atom::value, std::move(t));
}

void copy_manager::on_done(task_ptr t) {
  if (done_ || !inflight_ || t.get() != inflight_.get()) return;
  inflight_ = nullptr;
  if (ec_ && ec_->aborted.load(std::memory_order_acquire)) {
    finish(std::nullopt);
    return;
  }
  auto task = t->task;
  const bool aborted = t->aborted.load(std::memory_order_acquire);  // e.g. a LOGICAL UNIT RESET at the target
  if (!aborted && task.getStatus() == scsi::status::good) {
    if (!writing_) {
      if (task.getDataInLength() < chunk_ || !t->data) {
        finish(failure{scsi::status::check_condition, key::copy_aborted, 0x00, 0x00, int32_t(seg_), -1});
        return;
      }
      chunk_buf_ = t->data;
      t->data = io::buffer{};
      retries_ = 0;
      issue(true);
      return;
    }
    seg_done_ += chunk_;
    total_ += chunk_;
    next();
    return;
  }
  if (!aborted) {
    retry_or_fail(t);
    return;
  }
  finish(failure{scsi::status::check_condition, key::copy_aborted, 0x00, 0x00, int32_t(seg_), -1});
}

void copy_manager::retry_or_fail(const task_ptr& t) {
  auto task = t->task;
  const uint8_t status = task.getStatus();
  const bool ua = status == scsi::status::check_condition && sense_key_of(task.getSense()) == key::unit_attention;
  const bool busy = status == scsi::status::busy || status == scsi::status::task_set_full;
  if ((ua && retries_ < max_ua_retries) || (busy && retries_ < max_busy_retries)) {
    ++retries_;
    if (writing_) {  // keep the chunk for the next attempt
      chunk_buf_ = t->data;
      t->data = io::buffer{};
    }
    if (ua)
      issue(writing_);
    else
      delayed_send(this, busy_pause, cm_retry_atom::value);
    return;
  }
  log::debug("copy manager: segment {} failed at a copy target (status {:#x})", seg_, status);
  finish(failure{scsi::status::check_condition, key::copy_aborted, 0x00, 0x00, int32_t(seg_), -1});
}

void copy_manager::finish(std::optional<failure> f) {
  if (done_) return;
  done_ = true;
  if (chunk_buf_) io::buffer_pool::global().release(chunk_buf_);
  auto r = copy_result::make();
  auto b = r.edit();
  b.setToken(token_);
  b.setDone(true);
  b.setSegmentsProcessed(uint16_t(seg_));
  b.setBytesCopied(total_);
  if (f) {
    b.setStatus(f->status);
    b.setSenseKey(f->key);
    b.setAsc(f->asc);
    b.setAscq(f->ascq);
    b.setFailedSegment(f->segment);
    b.setFieldPointer(f->field);
  }
  rp_.deliver(r);
  quit();
}

copy_manager::~copy_manager() {
  if (chunk_buf_) io::buffer_pool::global().release(chunk_buf_);
}

}  // namespace stmfd
