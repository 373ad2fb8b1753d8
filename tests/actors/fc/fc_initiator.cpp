#include "tests/actors/fc/fc_initiator.hpp"

#include <cstring>
#include <thread>

#include "wire/fc/bls.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::test {

using namespace stmfd::fc;

fc_initiator::fc_initiator(std::shared_ptr<hba::loopback_end> end, uint64_t wwpn, uint32_t target_id)
    : end_(std::move(end)), wwpn_(wwpn), target_id_(target_id) {
  end_->set_notify([this] {
    std::lock_guard lock(mtx_);
    woke_ = true;
    cv_.notify_all();
  });
}

fc_initiator::~fc_initiator() { end_->set_notify({}); }

void fc_initiator::send(frame f) {
  f.hdr.s_id = end_->port_id();
  // The target's receive queue may be full for a moment: wait as a link would.
  for (int i = 0; i < 5000 && !end_->transmit(std::move(f)); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

std::optional<frame> fc_initiator::next(std::chrono::milliseconds wait) {
  if (!kept_.empty()) {
    frame f = std::move(kept_.front());
    kept_.pop_front();
    return f;
  }
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    std::vector<frame> got;
    if (end_->receive(got, 1) == 1) return std::move(got[0]);
    std::unique_lock lock(mtx_);
    if (!cv_.wait_until(lock, deadline, [&] { return woke_; })) return std::nullopt;
    woke_ = false;
  }
}

std::optional<frame> fc_initiator::next_of(uint16_t ox, std::chrono::milliseconds wait) {
  for (auto it = kept_.begin(); it != kept_.end(); ++it)
    if (it->hdr.ox_id == ox) {
      frame f = std::move(*it);
      kept_.erase(it);
      return f;
    }
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    std::vector<frame> got;
    if (end_->receive(got, 1) == 1) {
      if (got[0].hdr.ox_id == ox) return std::move(got[0]);
      kept_.push_back(std::move(got[0]));
      continue;
    }
    std::unique_lock lock(mtx_);
    if (!cv_.wait_until(lock, deadline, [&] { return woke_; })) return std::nullopt;
    woke_ = false;
  }
}

std::vector<uint8_t> fc_initiator::els(const std::vector<uint8_t>& payload, uint32_t d_id) {
  frame f;
  f.hdr.r_ctl = r_ctl::els_request;
  f.hdr.d_id = d_id ? d_id : target_id_;
  f.hdr.type = type::els;
  f.hdr.f_ctl = f_ctl::first_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative;
  f.hdr.ox_id = new_ox();
  uint16_t ox = f.hdr.ox_id;
  f.payload = payload;
  send(std::move(f));
  auto r = next_of(ox);
  if (!r || r->hdr.r_ctl != r_ctl::els_reply) return {};
  return r->payload;
}

els::login_params fc_initiator::login_payload(uint8_t code) const {
  els::login_params p;
  p.code = code;
  p.common.bb_credit = 10;
  p.common.rx_size = 2048;
  p.port_name = wwpn_;
  p.node_name = wwpn_ ^ 0x0100000000000000;
  p.class3.service_options = els::class_valid | els::sequential_delivery;
  p.class3.rx_size = 2048;
  return p;
}

bool fc_initiator::login() {
  auto flogi = els(els::encode(login_payload(els::cmd::flogi)), fabric_login_server);
  if (flogi.empty() || flogi[0] != els::cmd::ls_acc) return false;
  auto plogi = els(els::encode(login_payload(els::cmd::plogi)));
  if (plogi.empty() || plogi[0] != els::cmd::ls_acc) return false;
  els::prli req;
  req.pages.push_back(els::prli_page{type::fcp, 0, els::page_flag::image_pair, 0, 0, 0,
                                     els::fcp_param::initiator | els::fcp_param::read_xfer_rdy_disabled});
  auto prli = els(els::encode(req));
  auto acc = els::decode_prli(prli.data(), prli.size());
  return acc && acc->code == els::cmd::ls_acc && acc->pages.size() == 1 &&
         acc->pages[0].response == els::prli_response::executed;
}

uint16_t fc_initiator::send_command(const std::vector<uint8_t>& cdb, uint32_t dl, bool read, bool write, uint16_t lun,
                                    uint8_t tm_flags) {
  fcp::cmnd c;
  c.lun[0] = uint8_t(lun >> 8);
  c.lun[1] = uint8_t(lun);
  c.tm_flags = tm_flags;
  c.rddata = read;
  c.wrdata = write;
  std::copy(cdb.begin(), cdb.end(), c.cdb.begin());
  c.dl = dl;
  frame f;
  f.hdr.r_ctl = r_ctl::fcp_cmnd;
  f.hdr.d_id = target_id_;
  f.hdr.type = type::fcp;
  f.hdr.f_ctl = f_ctl::first_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative;
  f.hdr.ox_id = new_ox();
  uint16_t ox = f.hdr.ox_id;
  f.payload = fcp::encode(c);
  send(std::move(f));
  return ox;
}

void fc_initiator::send_data(uint16_t ox, uint32_t offset, const uint8_t* p, size_t n, bool end_sequence) {
  frame f;
  f.hdr.r_ctl = r_ctl::fcp_data;
  f.hdr.d_id = target_id_;
  f.hdr.type = type::fcp;
  f.hdr.f_ctl = f_ctl::relative_offset | (end_sequence ? f_ctl::end_sequence | f_ctl::sequence_initiative : 0);
  f.hdr.ox_id = ox;
  f.hdr.parameter = offset;
  f.payload.assign(p, p + n);
  send(std::move(f));
}

fc_initiator::result fc_initiator::finish(uint16_t ox, const std::vector<uint8_t>& data_out, size_t frame_size) {
  result r;
  uint32_t expect_offset = 0;
  while (auto f = next_of(ox)) {
    if (f->hdr.r_ctl == r_ctl::fcp_xfer_rdy) {
      auto x = fcp::decode_xfer_rdy(f->payload.data(), f->payload.size());
      if (!x) break;
      r.xfer_rdys.push_back(*x);
      for (uint32_t off = x->offset; off < x->offset + x->burst;) {
        size_t n = std::min<size_t>(frame_size, x->offset + x->burst - off);
        if (off + n > data_out.size()) break;  // the test gave less: the target will wait
        send_data(ox, off, data_out.data() + off, n, off + n == x->offset + x->burst);
        off += uint32_t(n);
      }
    } else if (f->hdr.r_ctl == r_ctl::fcp_data) {
      uint32_t off = f->hdr.parameter;
      if (off != expect_offset) r.offsets_in_order = false;
      expect_offset = off + uint32_t(f->payload.size());
      if (r.data.size() < expect_offset) r.data.resize(expect_offset);
      std::memcpy(r.data.data() + off, f->payload.data(), f->payload.size());
      ++r.data_frames;
    } else if (f->hdr.r_ctl == r_ctl::fcp_rsp) {
      r.rsp = fcp::decode_rsp(f->payload.data(), f->payload.size());
      break;
    }
  }
  return r;
}

fc_initiator::result fc_initiator::command(const std::vector<uint8_t>& cdb, uint32_t dl, bool read, bool write,
                                           const std::vector<uint8_t>& data_out, uint16_t lun, uint8_t tm_flags) {
  return finish(send_command(cdb, dl, read, write, lun, tm_flags), data_out);
}

std::optional<frame> fc_initiator::abts(uint16_t ox, std::chrono::milliseconds wait) {
  frame f;
  f.hdr.r_ctl = r_ctl::abts;
  f.hdr.d_id = target_id_;
  f.hdr.type = type::bls;
  f.hdr.f_ctl = f_ctl::last_sequence | f_ctl::end_sequence | f_ctl::sequence_initiative;
  f.hdr.ox_id = ox;
  send(std::move(f));
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (auto r = next_of(
             ox, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()))) {
    if (r->hdr.type == type::bls) return r;
  }
  return std::nullopt;
}

std::vector<uint8_t> fc_cdb_read10(uint32_t lba, uint16_t blocks) {
  std::vector<uint8_t> c(16, 0);
  c[0] = 0x28;
  scsi::put_be32(c.data() + 2, lba);
  scsi::put_be16(c.data() + 7, blocks);
  return c;
}

std::vector<uint8_t> fc_cdb_write10(uint32_t lba, uint16_t blocks) {
  auto c = fc_cdb_read10(lba, blocks);
  c[0] = 0x2A;
  return c;
}

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = uint8_t(seed + i * 7 + (i >> 9));
  return v;
}

}  // namespace stmfd::test
