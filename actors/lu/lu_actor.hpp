#pragma once
// The LU shell actor (COMSTAR's LU + stmf_sbd's task entry): one per logical
// unit. It runs the generic precheck (unit attention today; reservations,
// LU state and ALUA standby come in through the same place), hands the CDB
// to the provider's pure core (sbd::disk), carries out the core's I/O plan
// on the backing store through the io ring, and reports the final status to
// the task actor. A crash here is seen by every task actor waiting on it
// (they monitor it) and by STMF, which restarts the LU from its definition.
#include <memory>
#include <unordered_map>

#include <caf/event_based_actor.hpp>

#include "actors/common/fwd.hpp"
#include "actors/lu/backing_store.hpp"
#include "actors/lu/lu_definition.hpp"
#include "io/completion.hpp"
#include "io/ring.hpp"
#include "plugins/lu/sbd/disk.hpp"
#include "plugins/lu/sbd/unit_attentions.hpp"

namespace stmfd {

class lu_actor : public caf::event_based_actor {
 public:
  lu_actor(caf::actor_config& cfg, lu_definition def, std::shared_ptr<backing_store> store,
           std::shared_ptr<io::ring> ring, bool power_on_ua);
  caf::behavior make_behavior() override;
  const char* name() const override { return "lu"; }

 private:
  struct pending {
    task_ptr t;
    sbd::command cmd;
    sbd::outcome plan;
    uint8_t step = 0;
    bool fua_done = false;  // the current write step is written and being synced
    io::buffer scratch;  // read target when the data is not Data-In (VERIFY)
  };

  void on_execute(task_ptr t);
  void on_tmf(const tmf_request& r);
  void start_step(uint64_t cookie, pending& p);
  void on_io_done(const io::completion& c);
  void finish(pending& p, int io_result);
  void complete(task_ptr& t, const sbd::outcome& o, const uint8_t* small_data);
  uint8_t* step_buffer(pending& p, const sbd::io_step& s);

  lu_definition def_;
  std::shared_ptr<backing_store> store_;
  std::shared_ptr<io::ring> ring_;
  sbd::disk disk_;
  sbd::unit_attentions ua_;
  std::unordered_map<uint64_t, pending> inflight_;
  uint64_t next_cookie_ = 1;
  std::vector<uint8_t> scratch_;  // small Data-In replies (INQUIRY, MODE SENSE ...)
};

}  // namespace stmfd
