// The reservation model's entry points, lifecycle and shared helpers. The
// service actions live in reservations_{register,reserve,preempt,prout,
// prin,spc2,conflict,persist}.cpp.
#include "actors/model/reservations.hpp"

#include <algorithm>

#include "wire/scsi/cdb.hpp"

namespace stmfd {

using scsi::sense_code;
namespace pr = scsi::pr;

nexus_identity make_nexus_identity(const remote_port& r, uint16_t relative_port) {
  std::string port = r.port_name;
  // FC: the form FC TransportIDs decode to.
  if (r.kind == transport::fc && port.rfind("wwn.", 0) != 0) port = "wwn." + port;
  return nexus_identity{port, relative_port, pr::transport_id_for_port(port)};
}

reservations::reservations(options o) : opts_(o) {}

bool reservations::handles(const uint8_t* cdb, size_t len) {
  if (len == 0) return false;
  switch (cdb[0]) {
    case scsi::op::persistent_reserve_in:
    case scsi::op::persistent_reserve_out:
    case scsi::op::reserve6:
    case scsi::op::release6:
    case pr::op_reserve10:
    case pr::op_release10: return true;
    default: return false;
  }
}

reservations::result reservations::execute(const nexus_identity& n, const uint8_t* cdb, size_t len,
                                           const uint8_t* param, size_t plen, uint8_t* data_in, size_t cap) {
  switch (len ? cdb[0] : 0xFF) {
    case scsi::op::persistent_reserve_in: return prin(n, cdb, len, data_in, cap);
    case scsi::op::persistent_reserve_out: return prout(n, cdb, len, param, plen);
    case scsi::op::reserve6:
    case pr::op_reserve10: return reserve(n, cdb, len);
    case scsi::op::release6:
    case pr::op_release10: return release(n, cdb, len);
    default: return check(scsi::plain(scsi::sense::invalid_opcode()));
  }
}

// ---- lifecycle ---------------------------------------------------------------

void reservations::attach(const nexus_identity& n) {
  for (auto& a : attached_)
    if (same_nexus(a, n)) {
      if (!n.transport_id.empty()) a.transport_id = n.transport_id;
      return;
    }
  attached_.push_back(n);
}

void reservations::nexus_lost(const nexus_identity& n) {
  it_nexus_reset(n);
  std::erase_if(attached_, [&](const nexus_identity& a) { return same_nexus(a, n); });
}

void reservations::it_nexus_reset(const nexus_identity& n) {
  if (spc2_ && same_nexus(*spc2_, n)) spc2_.reset();
}

void reservations::lu_reset() { spc2_.reset(); }

void reservations::set_target_ports(std::vector<target_port> ports) { ports_ = std::move(ports); }

// ---- observers -----------------------------------------------------------------

std::optional<uint64_t> reservations::key_of(const nexus_identity& n) const {
  const registration* r = find(n);
  return r ? std::optional<uint64_t>(r->key) : std::nullopt;
}

bool reservations::holds(const nexus_identity& n) const {
  const registration* r = find(n);
  if (!r || !res_) return false;
  return pr::all_registrants(res_->type) || res_->holder.covers(n);
}

std::optional<uint8_t> reservations::reservation_type() const {
  return res_ ? std::optional<uint8_t>(res_->type) : std::nullopt;
}

// ---- helpers ---------------------------------------------------------------------

registration* reservations::find(const nexus_identity& n) {
  for (auto& r : regs_)
    if (r.scope.covers(n)) return &r;
  return nullptr;
}

const registration* reservations::find(const nexus_identity& n) const {
  return const_cast<reservations*>(this)->find(n);
}

bool reservations::is_holder(const registration& r) const {
  return res_ && (pr::all_registrants(res_->type) || r.scope.contains(res_->holder));
}

std::vector<uint8_t> reservations::transport_id_of(const nexus_identity& n) const {
  return n.transport_id.empty() ? pr::transport_id_for_port(n.initiator_port) : n.transport_id;
}

void reservations::post(result& r, const nexus_identity& n, sense_code c) const {
  for (const auto& u : r.unit_attentions)
    if (u.code == c && same_nexus(u.nexus, n)) return;
  r.unit_attentions.push_back({n, c});
}

void reservations::post_registered(result& r, const nexus_identity& except, sense_code c) const {
  for (const auto& a : attached_)
    if (!same_nexus(a, except) && find(a)) post(r, a, c);
}

void reservations::post_covered(result& r, std::span<const registration> gone, const nexus_identity* except,
                                sense_code c) const {
  for (const auto& a : attached_) {
    if (except && same_nexus(a, *except)) continue;
    if (std::any_of(gone.begin(), gone.end(), [&](const registration& g) { return g.scope.covers(a); })) post(r, a, c);
  }
}

std::vector<registration> reservations::take_registrations(uint64_t key, const registration* keep) {
  std::vector<registration> gone;
  std::vector<registration> kept;
  for (auto& r : regs_) (&r != keep && r.key == key ? gone : kept).push_back(std::move(r));
  regs_ = std::move(kept);
  return gone;
}

reservations::result reservations::conflict() {
  result r;
  r.status = scsi::status::reservation_conflict;
  return r;
}

reservations::result reservations::check(scsi::sense_info s) {
  result r;
  r.status = scsi::status::check_condition;
  r.sense = s;
  return r;
}

}  // namespace stmfd
