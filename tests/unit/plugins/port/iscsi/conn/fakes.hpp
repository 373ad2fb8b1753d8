#pragma once
// The fakes an iSCSI connection actor is tested against (no Catch2 here: the
// fuzz harness tests/fuzz/fuzz_connection.cpp uses them too): a fake STMF
// that grants every login (LUN 0 -> the fake LU) and a fake LU that
// completes commands with GOOD at once, or holds them until released.
#include <cstdint>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/common/fwd.hpp"
#include "plugins/port/iscsi/atoms.hpp"
#include "plugins/port/iscsi/port_config.hpp"

namespace stmfd::iscsi::test {

using hold_atom = caf::atom_constant<caf::atom("hold")>;        // (hold_atom, bool): the fake LU holds tasks
using release_atom = caf::atom_constant<caf::atom("release")>;  // the fake LU completes what it holds
// (get_atom, written_atom) -> bytes: the data of the last write the fake LU completed
using written_atom = caf::atom_constant<caf::atom("written")>;
// (get_atom, cdb_atom) -> bytes: the CDB of the last task the fake LU ran, whole
using cdb_atom = caf::atom_constant<caf::atom("cdb")>;

// One request the fake LU made for Data-Out (xfer_atom) and what became of it.
struct xfer_record {
  uint32_t itt = 0, offset = 0, length = 0;
  bool answered = false, ok = false;
};

using bytes = std::vector<uint8_t>;  // as initiator.hpp

inline const std::string target_name = "iqn.2026-11.org.stmfd:unit";

// The fake LU: completes each task with GOOD (a read's buffer filled with
// its ITT's low byte), or keeps it while holding. A write missing Data-Out
// asks the port for the rest (xfer_atom) first, as the LU shell does; when
// the port answers false the task ends aborted (nothing "written").
caf::behavior fake_lu(caf::event_based_actor* self);
// The fake STMF: (login_atom, nexus_request) -> a grant of LUN 0 on `lu`.
caf::behavior fake_stmf(caf::event_based_actor* self, caf::actor lu);

// Port settings for tests: the defaults with a small command window.
port_settings test_settings(uint32_t cmd_window = 8);

}  // namespace stmfd::iscsi::test

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<stmfd::iscsi::test::xfer_record>)
