// The persistent state as bytes (APTPL, SPC-4 5.13.4), version 1, all
// integers big-endian:
//   "STPR"  magic
//   u16     version (1)
//   u8      flags: bit 0 APTPL, bit 1 a persistent reservation exists
//   u8      its TYPE (0 without one)
//   u32     PRgeneration
//   u32     number of registrations
//   scope   the holder (only with a reservation)
//   per registration: u64 key, scope, u16 length + TransportID bytes
//   u32     CRC32C of everything before it
// scope: u8 flags (bit 0 device-wide, bit 1 ALL_TG_PT), u16 relative
// target port, u16 length + initiator name bytes.
// load() accepts only what save() can produce: the checksum matches, every
// length stays inside the input with nothing after it, the TYPE is valid,
// keys are nonzero, names non-empty, scopes do not overlap, and the holder
// of a reservation (not all registrants) is inside a registration.
#include "actors/model/reservations.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "wire/crc32c.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd {

namespace pr = scsi::pr;

namespace {

constexpr std::array<uint8_t, 4> magic = {'S', 'T', 'P', 'R'};
constexpr uint16_t version = 1;
constexpr uint8_t flag_aptpl = 0x01, flag_reservation = 0x02;
constexpr uint8_t scope_device_wide = 0x01, scope_all_tg_pt = 0x02;

class writer {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void be16(uint16_t v) { u8(uint8_t(v >> 8)), u8(uint8_t(v)); }
  void be32(uint32_t v) { be16(uint16_t(v >> 16)), be16(uint16_t(v)); }
  void be64(uint64_t v) { be32(uint32_t(v >> 32)), be32(uint32_t(v)); }
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  void blob(const void* p, size_t n) { be16(uint16_t(n)), bytes(p, n); }
  void scope(const nexus_scope& s) {
    u8(uint8_t((s.device_wide ? scope_device_wide : 0) | (s.all_tg_pt ? scope_all_tg_pt : 0)));
    be16(s.relative_port);
    blob(s.initiator.data(), s.initiator.size());
  }
  std::vector<uint8_t>& out() { return out_; }

 private:
  std::vector<uint8_t> out_;
};

// Bounds-checked reads: a read past the end sets failed() and yields zeros.
class reader {
 public:
  explicit reader(std::span<const uint8_t> in) : in_(in) {}
  bool take(size_t n) {
    if (failed_ || in_.size() - pos_ < n) return !(failed_ = true);
    pos_ += n;
    return true;
  }
  uint8_t u8() { return take(1) ? in_[pos_ - 1] : 0; }
  uint16_t be16() { return take(2) ? scsi::get_be16(&in_[pos_ - 2]) : 0; }
  uint32_t be32() { return take(4) ? scsi::get_be32(&in_[pos_ - 4]) : 0; }
  uint64_t be64() { return take(8) ? scsi::get_be64(&in_[pos_ - 8]) : 0; }
  std::span<const uint8_t> blob() {
    const size_t n = be16();
    return take(n) ? in_.subspan(pos_ - n, n) : std::span<const uint8_t>{};
  }
  std::optional<nexus_scope> scope() {
    const uint8_t f = u8();
    nexus_scope s;
    s.device_wide = f & scope_device_wide;
    s.all_tg_pt = f & scope_all_tg_pt;
    s.relative_port = be16();
    const auto name = blob();
    s.initiator.assign(name.begin(), name.end());
    if (failed_ || (f & ~(scope_device_wide | scope_all_tg_pt)) || s.initiator.empty()) return std::nullopt;
    return s;
  }
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace

std::vector<uint8_t> reservations::save() const {
  writer w;
  w.bytes(magic.data(), magic.size());
  w.be16(version);
  w.u8(uint8_t((aptpl_ ? flag_aptpl : 0) | (res_ ? flag_reservation : 0)));
  w.u8(res_ ? res_->type : 0);
  w.be32(generation_);
  w.be32(uint32_t(regs_.size()));
  if (res_) w.scope(res_->holder);
  for (const auto& r : regs_) {
    w.be64(r.key);
    w.scope(r.scope);
    w.blob(r.transport_id.data(), r.transport_id.size());
  }
  w.be32(wire::crc32c(w.out().data(), w.out().size()));
  return std::move(w.out());
}

std::vector<uint8_t> reservations::aptpl_image() const { return aptpl_ ? save() : std::vector<uint8_t>{}; }

bool reservations::load(std::span<const uint8_t> image) {
  if (image.empty()) {
    regs_.clear();
    res_.reset();
    generation_ = 0;
    aptpl_ = false;
    return true;
  }
  if (image.size() < magic.size() + 4) return false;
  const auto body = image.first(image.size() - 4);
  if (wire::crc32c(body.data(), body.size()) != scsi::get_be32(&image[body.size()])) return false;
  if (!std::equal(magic.begin(), magic.end(), body.begin())) return false;
  reader in(body.subspan(magic.size()));
  if (in.be16() != version) return false;
  const uint8_t flags = in.u8();
  const uint8_t type = in.u8();
  const uint32_t generation = in.be32();
  const uint32_t count = in.be32();
  if (in.failed() || (flags & ~(flag_aptpl | flag_reservation)) || count > opts_.max_registrations) return false;
  std::optional<persistent_reservation> res;
  if (flags & flag_reservation) {
    const auto holder = in.scope();
    if (!holder || !pr::valid_type(type) || count == 0) return false;
    res = persistent_reservation{type, *holder};
  } else if (type != 0) {
    return false;
  }
  std::vector<registration> regs;
  for (uint32_t i = 0; i < count; ++i) {
    registration r;
    r.key = in.be64();
    const auto scope = in.scope();
    const auto tid = in.blob();
    if (!scope || r.key == 0) return false;
    r.scope = *scope;
    r.transport_id.assign(tid.begin(), tid.end());
    for (const auto& o : regs)
      if (o.scope.overlaps(r.scope)) return false;
    regs.push_back(std::move(r));
  }
  if (in.failed() || !in.at_end()) return false;
  if (res && !pr::all_registrants(res->type) &&
      std::none_of(regs.begin(), regs.end(), [&](const registration& r) { return r.scope.contains(res->holder); }))
    return false;
  regs_ = std::move(regs);
  res_ = std::move(res);
  generation_ = generation;
  aptpl_ = flags & flag_aptpl;
  return true;
}

}  // namespace stmfd
