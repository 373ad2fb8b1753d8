// The LU shell's half of third-party copy (SPC-4 5.17, 6.3, 6.18;
// docs/framework.md "Third-party copy"; LID1 and LID4). The provider's command table
// checks the CDBs and marks them the framework's (lu_outcome::
// copy_manager); here EXTENDED COPY's parameter list is checked and its
// list identifier taken, the copy itself runs at STMF's copy manager while
// the task waits in copying_ (task management stops it like any running
// task), and RECEIVE COPY RESULTS is answered from copies_, per I_T nexus.
#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/lu/lu_actor.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/xcopy.hpp"

namespace stmfd {

namespace xc = scsi::xcopy;

namespace {

lu_outcome check_condition(const scsi::sense_info& s) {
  lu_outcome o;
  o.status = scsi::status::check_condition;
  o.sense = s;
  return o;
}

}  // namespace

void lu_actor::run_copy(uint64_t handle, task_ptr t, const lu_command& cmd) {
  if (cmd.cdb[0] == xc::op_extended_copy) {
    start_extended_copy(handle, std::move(t), cmd);
    return;
  }
  answer_copy_results(t, cmd);
  release(handle);
}

void lu_actor::start_extended_copy(uint64_t handle, task_ptr t, const lu_command& cmd) {
  const uint32_t param_len = scsi::get_be32(cmd.cdb + 10);  // PARAMETER LIST LENGTH
  auto parsed = xc::parse_extended_copy_cdb(cmd.cdb, cmd.data_out, cmd.data_out_len);
  if (parsed.error || !parsed.list) {  // a bad list, or none (GOOD: nothing to copy)
    complete(t, parsed.error ? check_condition(*parsed.error) : lu_outcome{}, nullptr);
    release(handle);
    return;
  }
  auto stmf = stmf_.get();
  const auto& list = *parsed.list;
  const auto admitted = stmf ? copies_.begin(cmd.nexus, list.list_id, list.usage, handle) : copy_results::admit::ok;
  if (!stmf || admitted != copy_results::admit::ok) {
    lu_outcome o;
    if (!stmf)  // a shell started without STMF (a test): no copy manager to run it
      o = check_condition(scsi::plain(scsi::sense::internal_target_failure()));
    else if (admitted == copy_results::admit::in_use)  // SPC-4 6.3.1: the list identifier is in use
      o = check_condition(scsi::plain(scsi::sense::operation_in_progress()));
    else
      o.status = scsi::status::busy;  // the copy manager's concurrency limit: the initiator retries
    complete(t, o, nullptr);
    release(handle);
    return;
  }
  auto req = copy_request::make();
  auto b = req.edit();
  b.setNexus(cmd.nexus);
  b.setLuName(def_.name);
  b.setToken(handle);
  b.setParameterList(capnp::Data::Reader(cmd.data_out, param_len));
  copying_.emplace(handle, copying{t, cmd.nexus, {}});
  request(stmf, caf::infinite, copy_atom::value, req, t)
      .then([this](const copy_result& r) { on_copy_result(r); },
            [this, handle](caf::error& e) {
              log::warn("lu {}: the copy manager failed: {}", def_.name, to_string(e));
              copy_failed(handle);
            });
}

// Progress (done = false) or the end of an operation.
void lu_actor::on_copy_result(const copy_result& msg) {
  auto r = msg.get();
  const uint64_t handle = r.getToken();
  if (!r.getDone()) {
    copies_.progress(handle, r.getSegmentsProcessed(), r.getBytesCopied());
    return;
  }
  auto it = copying_.find(handle);
  if (it == copying_.end()) return;
  copying c = std::move(it->second);
  copying_.erase(it);
  lu_outcome o;
  o.status = r.getStatus();
  std::vector<uint8_t> sense;  // held for FAILED SEGMENT DETAILS
  if (o.status == scsi::status::check_condition) {
    auto code = scsi::sense::from_wire(r.getSenseKey(), r.getAsc(), r.getAscq());
    scsi::sense_info s = scsi::plain(code ? *code : scsi::sense::internal_target_failure());
    if (r.getFailedSegment() >= 0) s.command_specific = uint32_t(r.getFailedSegment());
    if (r.getFieldPointer() >= 0) s.field = scsi::field_pointer{false, uint16_t(r.getFieldPointer()), -1};
    uint8_t buf[64];
    sense.assign(buf, buf + scsi::build_sense(s, core_->descriptor_sense_for(c.nexus), buf, sizeof buf));
    o.sense = s;
  } else if (c.t->aborted.load(std::memory_order_acquire)) {
    sense.push_back(scsi::status::task_aborted);  // ended without sense: the status it ended with
  } else if (o.status != scsi::status::good) {
    sense.push_back(o.status);  // BUSY: still not a successful operation
  }
  copies_.finish(handle, r.getSegmentsProcessed(), r.getBytesCopied(), std::move(sense));
  if (c.t->aborted.load(std::memory_order_acquire))
    complete_aborted(c.t);
  else
    complete(c.t, o, nullptr);
  for (auto& w : c.waiters)
    if (--w->remaining == 0) w->rp.deliver(w->answer);
  release(handle);
}

// The copy manager (or STMF) died with the operation: its command fails
// alone (SAM-5: HARDWARE ERROR / INTERNAL TARGET FAILURE).
void lu_actor::copy_failed(uint64_t handle) {
  auto r = copy_result::make();
  auto b = r.edit();
  b.setToken(handle);
  b.setDone(true);
  b.setStatus(scsi::status::check_condition);
  const auto code = scsi::sense::internal_target_failure();
  b.setSenseKey(code.key);
  b.setAsc(code.asc);
  b.setAscq(code.ascq);
  on_copy_result(r);
}

// SPC-4 6.18: OPERATING PARAMETERS for any nexus; COPY STATUS, FAILED
// SEGMENT DETAILS and COPY STATUS(LID4) of this nexus's operation with the
// CDB's list identifier, INVALID FIELD IN CDB (byte 2) when it has none.
void lu_actor::answer_copy_results(task_ptr& t, const lu_command& cmd) {
  const auto rq = xc::decode_receive_copy_results(cmd.cdb);
  uint8_t* out = scratch_.data();
  const size_t cap = std::min<size_t>(rq.alloc_len, scratch_.size());
  lu_outcome o;
  switch (rq.service_action) {
    case xc::sa_operating_parameters: o.data_in_len = uint32_t(xc::build_operating_parameters(out, cap)); break;
    case xc::sa_copy_status:
      if (auto s = copies_.status(cmd.nexus, rq.list_id))
        o.data_in_len = uint32_t(xc::build_copy_status(*s, out, cap));
      else
        o = check_condition(scsi::invalid_cdb_field(2));
      break;
    case xc::sa_failed_segment_details:
      if (auto d = copies_.failed_segment(cmd.nexus, rq.list_id)) {
        const size_t n = d->sense.size() >= 8 ? d->sense.size() : 0;  // shorter: the marker of no sense
        o.data_in_len = uint32_t(xc::build_failed_segment_details(d->failed, d->sense.data(), n, out, cap));
      } else
        o = check_condition(scsi::invalid_cdb_field(2));
      break;
    case xc::sa_copy_status_lid4:
      if (auto d = copies_.status_lid4(cmd.nexus, rq.list_id))
        o.data_in_len = uint32_t(
            xc::build_copy_status_lid4(d->s, d->completion_status, d->sense.data(), d->sense.size(), out, cap));
      else
        o = check_condition(scsi::invalid_cdb_field(2));
      break;
    default: o = check_condition(scsi::invalid_cdb_field(1, 4)); break;  // the table lets no other through
  }
  complete(t, o, out);
}

}  // namespace stmfd
