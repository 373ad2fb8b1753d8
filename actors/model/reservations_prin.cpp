// PERSISTENT RESERVE IN (SPC-4 6.15). Reserved CDB bits: INVALID FIELD IN
// CDB; SERVICE ACTION 04h and above: INVALID FIELD IN CDB (byte 1 bit 4);
// an SPC-2 reservation exists: RESERVATION CONFLICT from every nexus
// (SPC-2 5.5.1). Otherwise GOOD with the parameter data cut to the
// ALLOCATION LENGTH; under a persistent reservation PR IN is allowed from
// any nexus (SPC-4 5.13.1).
#include "actors/model/reservations.hpp"

namespace stmfd {

namespace pr = scsi::pr;

reservations::result reservations::prin(const nexus_identity& n, const uint8_t* cdb, size_t len, uint8_t* data_in,
                                        size_t cap) {
  attach(n);
  const auto c = pr::decode_prin(cdb, len);
  if (!c.value) return check(*c.error);
  if (c.value->action >= pr::in_action::count) return check(scsi::invalid_cdb_field(1, 4));
  if (spc2_) return conflict();
  const uint16_t alloc = c.value->alloc_len;
  result r;
  switch (c.value->action) {
    case pr::in_action::read_keys: {
      std::vector<uint64_t> keys;
      keys.reserve(regs_.size());
      for (const auto& g : regs_) keys.push_back(g.key);
      r.data_in_len = uint32_t(pr::build_read_keys(generation_, keys, alloc, data_in, cap));
      break;
    }
    case pr::in_action::read_reservation: {
      // SPC-4 5.13.10: an all-registrants reservation reports key 0.
      std::optional<pr::reservation_view> v;
      if (res_) {
        v = pr::reservation_view{0, res_->type};
        if (!pr::all_registrants(res_->type))
          for (const auto& g : regs_)
            if (is_holder(g)) v->key = g.key;
      }
      r.data_in_len = uint32_t(pr::build_read_reservation(generation_, v, alloc, data_in, cap));
      break;
    }
    case pr::in_action::report_capabilities: {
      pr::capabilities caps;
      caps.crh = caps.sip_c = caps.atp_c = caps.tmv = true;
      caps.ptpl_c = opts_.ptpl_capable;
      caps.ptpl_a = aptpl_;
      caps.allow_commands = opts_.allow_commands;
      caps.type_mask = pr::type_mask::all;
      r.data_in_len = uint32_t(pr::build_report_capabilities(caps, alloc, data_in, cap));
      break;
    }
    default: {  // READ FULL STATUS
      std::vector<pr::full_status> entries;
      entries.reserve(regs_.size());
      for (const auto& g : regs_) {
        const bool held = is_holder(g);
        entries.push_back(
            {g.key, g.scope.all_tg_pt, held, held ? res_->type : uint8_t(0), g.scope.relative_port, g.transport_id});
      }
      r.data_in_len = uint32_t(pr::build_read_full_status(generation_, entries, alloc, data_in, cap));
      break;
    }
  }
  return r;
}

}  // namespace stmfd
