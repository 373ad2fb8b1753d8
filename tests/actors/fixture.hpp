#pragma once
// An STMF with one LU and a test port provider (one local port, target
// "iqn.2026-11.org.stmfd:test", an actor that does nothing), driven by the
// test acting as a port's nexus: it registers with STMF like a port does,
// builds task contexts like the session layer does, and receives the task
// actors' completions.
#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "actors/common/faults.hpp"
#include "actors/common/log.hpp"
#include "actors/common/messages.hpp"
#include "actors/common/task_actor.hpp"
#include "actors/stmf/stmf_actor.hpp"
#include "plugins/lu/sbd/provider.hpp"

namespace stmfd::test {

// A grant as the tests use it: STMF's message (read in place) and, built
// from it, the nexus id and the LUN inventory with the LU actors.
struct granted {
  uint64_t nexus = 0;
  lun_map luns;
  nexus_grant msg;
};

// One entry of STMF's LuStateList, as the tests compare it.
struct lu_state_entry {
  std::string name;
  lu_state state = lu_state::offline;
  std::string reason;
};

struct stmf_fixture {
  std::string dir;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  caf::actor stmf;
  granted grant;
  std::shared_ptr<task_pool> pool = std::make_shared<task_pool>(8);
  caf::actor worker;  // one task actor, reused for every command like a session does

  explicit stmf_fixture(lu_definition::backing_kind kind, uint32_t rings = 1);
  // The same STMF, changed by `edit` before it starts (more LUs and views,
  // retry limits, another port provider); the first login is made but not
  // required to reach an LU that serves.
  using edit_fn = std::function<void(stmf_definitions&, provider_registry&)>;
  stmf_fixture(lu_definition::backing_kind kind, const edit_fn& edit);
  ~stmf_fixture();

  // Registers a nexus to target "iqn.2026-11.org.stmfd:test" (LUN 0).
  granted login(uint64_t isid);
  task_ptr make_task(std::vector<uint8_t> cdb, wire::Direction dir, uint32_t expected_length,
                     const std::vector<uint8_t>& data_out = {});
  // Hands the task to the task actor and waits for its completion (fails the test on timeout).
  task_ptr run(task_ptr t, caf::actor via = {});
  // Waits for STMF's lu_update after an LU restart; returns the new LU actor.
  caf::actor wait_lu_update();
  // STMF's (get_atom, lu_state_atom) answer, read out of its LuStateList.
  std::vector<lu_state_entry> lu_states();
  // lu_states() entry of the LU named `name` (fails the test when absent).
  lu_state_entry lu_state_of(const std::string& name);

 private:
  void start(lu_definition::backing_kind kind, uint32_t rings, const edit_fn& edit);
};

// The registration of initiator port (name, ISID) on the test port.
nexus_request test_nexus(const std::string& initiator, uint64_t isid);

std::vector<uint8_t> read10(uint32_t lba, uint16_t blocks);
std::vector<uint8_t> write10(uint32_t lba, uint16_t blocks);
std::vector<uint8_t> test_unit_ready();
// Sends a task (tag `tag`) to its LU and the fixture's task actor without
// waiting; the completion comes to f.self as (done_atom, task): next_done.
task_ptr post_task(stmf_fixture& f, task_ptr t, uint32_t tag);
task_ptr next_done(stmf_fixture& f);  // fails the test after 10 s
// A task management function from the fixture's nexus to `lu` (none: the
// LU at LUN 0); true when the LU answers FUNCTION COMPLETE.
bool lu_function(stmf_fixture& f, wire::TaskManagementFunction fn, uint32_t referenced, caf::actor lu = {});
// Sense key / ASC / ASCQ of a completed task's fixed-format sense.
std::tuple<int, int, int> sense_of(const task_ptr& t);

}  // namespace stmfd::test
