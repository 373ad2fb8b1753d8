// MOVE MEDIUM, INITIALIZE ELEMENT STATUS (WITH RANGE) and POSITION TO
// ELEMENT (SMC-3 6.9, 6.5, 6.6, 6.8).

#include <cerrno>

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
  switch (m.check(src, dst)) {
    case move_error::invalid_address: return check(sense::invalid_element_address());
    case move_error::source_empty: return check(sense::medium_source_element_empty());
    case move_error::destination_full: return check(sense::medium_destination_element_full());
    case move_error::none: break;
  }
  if (src == dst) return good();
  if (!x.st.preventing.empty() && (is_import_export(m, src) || is_import_export(m, dst)))
    return check(sense::medium_removal_prevented());
  outcome o;
  if (auto d = m.drive_index(src)) {
    lu_outcome::drive_op op;
    op.what = lu_outcome::drive_op::op::unload;
    op.drive = *d;
    o.drive_ops.push_back(op);
  }
  if (auto d = m.drive_index(dst)) o.drive_ops.push_back(load_op(x.st, *d, m.find(src)->cartridge));
  if (o.drive_ops.empty()) {
    m.move(src, dst);
    o.persist = true;
    return o;
  }
  x.st.pending = {true, src, dst};
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
      x.st.map.move(x.st.pending.source, x.st.pending.destination);
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
