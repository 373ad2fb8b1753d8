#pragma once
// Auto contingent allegiance (SAM-5 5.9), for a device server that does not
// support it: every LU kind here reports NormACA 0 in its standard INQUIRY
// data (SPC-4 6.4.2: no NACA=1 in a CONTROL byte, no ACA task attribute),
// so no ACA condition is ever established and a CHECK CONDITION never
// blocks the task set. What such a device server owes the two ways an
// initiator asks for ACA anyway, checked by the LU shell's generic precheck
// before anything else (unit attentions included: an initiator that set
// NACA=1 would take any CHECK CONDITION as having established an ACA, so a
// unit attention for it would be misread):
//  - a CDB whose CONTROL byte has NACA set to one (SAM-5 5.3.3, control
//    byte; SPC-4 4.2.5.5): CHECK CONDITION, ILLEGAL REQUEST, INVALID FIELD
//    IN CDB, the field pointer at the NACA bit (bit 2 of the CONTROL byte);
//  - a command with the ACA task attribute (SAM-5 8.6.5: received with no
//    ACA condition established, which is always the case here): CHECK
//    CONDITION, ILLEGAL REQUEST, INVALID MESSAGE ERROR (49h/00h). It never
//    enters the task set (before: it was run as SIMPLE).
// Pure: the caller turns the answer into the command's status.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "wire/scsi/sense.hpp"

namespace stmfd {

// Where the CONTROL byte of `cdb` is: the last byte of a CDB of the
// opcode's group length (SPC-4 4.2.5.1), byte 1 of a variable-length CDB
// (7Fh). nullopt: a group without a defined length (the provider answers
// its opcode), or a CDB shorter than its group's length.
std::optional<size_t> control_byte_of(const uint8_t* cdb, size_t len);

// The sense a command gets because it asks for ACA (aca_attribute: its task
// attribute is ACA), or nullopt. NACA is checked first (the CDB's own
// field); len 0 skips it (an opcode no row knows: INVALID COMMAND
// OPERATION CODE is the provider's answer).
std::optional<scsi::sense_info> unsupported_aca(bool aca_attribute, const uint8_t* cdb, size_t len);

}  // namespace stmfd
