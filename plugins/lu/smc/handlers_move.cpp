// MOVE MEDIUM, EXCHANGE MEDIUM, INITIALIZE ELEMENT STATUS (WITH RANGE) and
// POSITION TO ELEMENT (SMC-3 6.9, 6.2, 6.5, 6.6, 6.8).

#include <cerrno>
#include <optional>

#include "plugins/lu/smc/types.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::smc::handlers {

using namespace scsi;

namespace {

// The TRANSPORT ELEMENT ADDRESS field: 0 (the default transport) or the
// transport's own address.
bool transport_ok(const element_map& m, uint16_t address) {
  const element* e = m.find(address);
  return address == 0 || (e && e->type == element_type::transport);
}

bool is_import_export(const element_map& m, uint16_t address) {
  const element* e = m.find(address);
  return e && e->type == element_type::import_export;
}

lu_outcome::drive_op load_op(const changer_state& st, uint32_t drive, int cartridge) {
  const auto& c = st.library->cartridges[size_t(cartridge)];
  lu_outcome::drive_op op;
  op.what = lu_outcome::drive_op::op::load;
  op.drive = drive;
  op.path = c.path;
  op.barcode = c.barcode;
  op.capacity = c.capacity;
  return op;
}

lu_outcome::drive_op unload_op(uint32_t drive) {
  lu_outcome::drive_op op;
  op.what = lu_outcome::drive_op::op::unload;
  op.drive = drive;
  return op;
}

// A map refusal as SMC-3 sense (shared by MOVE and EXCHANGE MEDIUM).
std::optional<outcome> refusal(move_error e) {
  switch (e) {
    case move_error::invalid_address: return check(sense::invalid_element_address());
    case move_error::source_empty: return check(sense::medium_source_element_empty());
    case move_error::destination_full: return check(sense::medium_destination_element_full());
    case move_error::none: break;
  }
  return std::nullopt;
}

}  // namespace

// SMC-3 6.9. Checked in this order: INVERT (no rotation: INVALID FIELD IN
// CDB), the addresses (INVALID ELEMENT ADDRESS), a source without medium
// (MEDIUM SOURCE ELEMENT EMPTY), a full destination (MEDIUM DESTINATION
// ELEMENT FULL), an import/export element while an initiator prevents
// medium removal (MEDIUM REMOVAL PREVENTED). A move that involves a drive
// asks the shell for the drive operations (unload the source drive, load
// the destination drive) and completes in finish_move(); others complete
// here. A move onto itself does nothing.
outcome move_medium(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  if (c[10] & 0x01) return check(invalid_cdb_field(10, 0));
  const uint16_t transport = get_be16(c + 2), src = get_be16(c + 4), dst = get_be16(c + 6);
  auto& m = x.st.map;
  if (!transport_ok(m, transport)) return check(sense::invalid_element_address());
  if (auto refused = refusal(m.check(src, dst))) return *refused;
  if (src == dst) return good();
  if (!x.st.preventing.empty() && (is_import_export(m, src) || is_import_export(m, dst)))
    return check(sense::medium_removal_prevented());
  outcome o;
  if (auto d = m.drive_index(src)) o.drive_ops.push_back(unload_op(*d));
  if (auto d = m.drive_index(dst)) o.drive_ops.push_back(load_op(x.st, *d, m.find(src)->cartridge));
  if (o.drive_ops.empty()) {
    m.move(src, dst);
    o.persist = true;
    return o;
  }
  x.st.pending = {true, src, dst, false, 0};
  return o;
}

// SMC-3 6.2: the medium at the source goes to the first destination and
// the medium that was there to the second destination (the source itself
// for a swap). Checked in MOVE MEDIUM's order: INV1/INV2 (no rotation:
// INVALID FIELD IN CDB), the addresses (INVALID ELEMENT ADDRESS; also a
// first destination equal to the source), an empty source or first
// destination (MEDIUM SOURCE ELEMENT EMPTY: the first destination is the
// second move's source), a full second destination other than the source
// (MEDIUM DESTINATION ELEMENT FULL), an import/export element while an
// initiator prevents medium removal (MEDIUM REMOVAL PREVENTED). Drive
// operations: the drives among source and first destination unload, then
// the first destination and the second destination load their new
// cartridges; the map changes only when all succeeded (finish_move).
outcome exchange_medium(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  if (c[10] & 0x03) return check(invalid_cdb_field(10, (c[10] & 0x01) ? 0 : 1));
  const uint16_t transport = get_be16(c + 2), src = get_be16(c + 4), dst1 = get_be16(c + 6), dst2 = get_be16(c + 8);
  auto& m = x.st.map;
  if (!transport_ok(m, transport)) return check(sense::invalid_element_address());
  if (auto refused = refusal(m.check_exchange(src, dst1, dst2))) return *refused;
  if (!x.st.preventing.empty() && (is_import_export(m, src) || is_import_export(m, dst1) || is_import_export(m, dst2)))
    return check(sense::medium_removal_prevented());
  outcome o;
  const int moving = m.find(src)->cartridge, displaced = m.find(dst1)->cartridge;
  if (auto d = m.drive_index(src)) o.drive_ops.push_back(unload_op(*d));
  if (auto d = m.drive_index(dst1)) o.drive_ops.push_back(unload_op(*d));
  if (auto d = m.drive_index(dst1)) o.drive_ops.push_back(load_op(x.st, *d, moving));
  if (auto d = m.drive_index(dst2)) o.drive_ops.push_back(load_op(x.st, *d, displaced));
  if (o.drive_ops.empty()) {
    m.exchange(src, dst1, dst2);
    o.persist = true;
    return o;
  }
  x.st.pending = {true, src, dst1, true, dst2};
  return o;
}

// The drive operations ran: the map follows only when they succeeded. A
// drive whose medium an initiator prevents from removal -> MEDIUM REMOVAL
// PREVENTED; a drive that holds another medium -> MEDIUM DESTINATION
// ELEMENT FULL; a cartridge file that is no cartridge -> MEDIUM FORMAT
// CORRUPTED; a drive LU that is not online or another failure -> HARDWARE
// ERROR, INTERNAL TARGET FAILURE.
outcome finish_move(exec_ctx& x, int io_result) {
  switch (io_result) {
    case 0: {
      const auto& p = x.st.pending;
      if (p.exchange)
        x.st.map.exchange(p.source, p.destination, p.second_destination);
      else
        x.st.map.move(p.source, p.destination);
      outcome o = good();
      o.persist = true;
      return o;
    }
    case -EBUSY: return check(sense::medium_removal_prevented());
    case -EEXIST: return check(sense::medium_destination_element_full());
    case -EINVAL: return check(sense::medium_format_corrupted());
    default: return check(sense::internal_target_failure());
  }
}

// SMC-3 6.5: the inventory is always current (nothing is scanned).
outcome initialize_element_status(exec_ctx&) { return good(); }

// SMC-3 6.6: with RANGE, STARTING ELEMENT ADDRESS must be an element's
// (INVALID ELEMENT ADDRESS otherwise); FAST changes nothing here.
outcome initialize_element_status_range(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  if ((c[1] & 0x01) && !x.st.map.find(get_be16(c + 2))) return check(sense::invalid_element_address());
  return good();
}

// SMC-3 6.8: the transport and the destination must be elements
// (INVALID ELEMENT ADDRESS); INVERT is not supported (INVALID FIELD IN CDB).
outcome position_to_element(exec_ctx& x) {
  const uint8_t* c = x.cmd.cdb;
  if (c[8] & 0x01) return check(invalid_cdb_field(8, 0));
  if (!transport_ok(x.st.map, get_be16(c + 2)) || !x.st.map.find(get_be16(c + 4)))
    return check(sense::invalid_element_address());
  return good();
}

}  // namespace stmfd::smc::handlers
