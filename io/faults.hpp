#pragma once
// Fault injection points (architecture.md "Supervision and failed-operation
// recovery"; issue 10 section 1). Every actor kind and the io layer pass
// named points; an armed point makes the code that passes it fail the way a
// real bug or a real device would (the actor quits with an error, a backing
// I/O fails with EIO or ENOSPC or moves half its bytes, a socket resets, a
// completion comes late), so supervision and recovery are tested for real.
//
// Arming: in-process from tests (arm()), and for system tests through the
// admin interface on the Unix socket only (wire/admin.capnp injectFault);
// never from the environment. Deterministic: a point fires from its
// `after`-th pass on, `times` times, each eligible pass with probability
// `percent` drawn from a generator seeded with `seed`. Every pass and
// firing of an armed point is counted (list()).
//
// Cost when disarmed: one relaxed atomic load per pass (fire() is inline up
// to that load). Thread-safe: points are passed from CAF workers, ring
// threads and the admin thread alike.
//
// The registry lives in io/ because the io layer passes points too; it
// knows nothing of SCSI or actors.
#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stmfd::faults {

enum class point : uint8_t {
  task_start,       // task actor: fails before it watches its LU (crash)
  lu_execute,       // LU shell, any provider: a command arrives (crash, delay); subject: LU name
  lu_io_done,       // LU shell: a medium I/O completed (crash, after the kernel is done); subject: LU name
  session_pdu,      // iSCSI connection/session actor: a SCSI Command PDU arrives (crash)
  lu_io_stall,      // LU shell: holds its next medium step before submitting it (stall); subject: LU name
  lu_io_submitted,  // LU shell: dies right after handing an I/O to the ring, while the kernel
                    // owns the buffer (crash); subject: LU name
  conn_socket,      // iSCSI connection: a PDU arrives; the socket is reset (reset)
  port_iscsi,       // iSCSI port provider: a connection is accepted (crash)
  port_fc,          // FC port provider (local port): a frame arrives (crash)
  io_actor,         // io actor: a file I/O is submitted to its ring; the actor fails (crash)
  io_file,          // io layer, file read/write/fsync: (eio, enospc, short_io, stall)
  admin_call,       // admin interface -> STMF request (crash: the call fails; delay)
  copy_command,     // copy manager (EXTENDED COPY): a segment's command completes (crash)
  library_commit,   // admin plane: a library change reached its changer (its map saved), before
                    // the config file is written (stall); subject: the changer LU name
  lu_restart,       // STMF: an LU's actor died and is restarted at once; the restart waits `ms`
                    // (delay), as one waiting for its io ring or its drives does; subject: LU name
  count_
};

enum class action : uint8_t {
  none,
  crash,     // the actor quits with an error (its supervisor sees it fail)
  delay,     // the message is handled `ms` later
  eio,       // the backing I/O fails with -EIO
  enospc,    // the backing I/O fails with -ENOSPC
  short_io,  // a read or write moves only the first half of its bytes
  reset,     // the connection's socket is reset (shutdown; the peer sees it close)
  stall,     // the I/O (or medium step) is held `ms` before it goes on
  count_
};

// The delay / stall length of a spec that does not set one.
constexpr uint32_t default_ms = 500;

// How a point is armed.
struct spec {
  action act = action::none;  // none: the point's first allowed action
  uint32_t after = 1;         // first eligible pass (1: the next one)
  uint32_t times = 1;         // firings before the point disarms itself; 0: until disarmed
  uint32_t percent = 100;     // chance (1..100) that an eligible pass fires
  uint64_t seed = 1;          // seeds the chance draws (same seed, same firings)
  uint32_t ms = default_ms;   // delay / stall length
  std::string match;          // non-empty: only passes whose subject equals it count
};

// A point as list() reports it.
struct point_status {
  point p{};
  std::string_view name{};
  bool armed = false;
  spec armed_with{};     // valid when armed
  uint64_t passes = 0;   // passes counted since it was last armed
  uint64_t firings = 0;  // firings since the process started (never reset)
  uint32_t allowed = 0;  // bit per action the point supports
};

// What a firing asks the caller to do.
struct fired {
  action act = action::none;
  uint32_t ms = 0;
  explicit operator bool() const { return act != action::none; }
};

namespace detail {
extern std::array<std::atomic<bool>, size_t(point::count_)> armed;
fired slow_fire(point p, std::string_view subject);
}  // namespace detail

// Arms p. Returns an empty string, or why not (an action the point does not
// support, percent out of 1..100, after 0).
std::string arm(point p, spec s);
// Compatibility for tests: p's first allowed action on its next `times` passes.
void arm(point p, uint32_t times = 1);
void disarm(point p);
void disarm_all();

// Passes p: what to do, or action::none. `subject` names what passes it
// (an LU name) for specs with a match.
inline fired fire(point p, std::string_view subject = {}) {
  if (!detail::armed[size_t(p)].load(std::memory_order_relaxed)) return {};
  return detail::slow_fire(p, subject);
}
// Passes p; true if it fired (whatever its action).
inline bool hit(point p, std::string_view subject = {}) { return bool(fire(p, subject)); }

uint64_t firings(point p);
std::vector<point_status> list();

std::string_view name_of(point p);
std::string_view name_of(action a);
std::optional<point> point_named(std::string_view name);
std::optional<action> action_named(std::string_view name);
bool allows(point p, action a);

}  // namespace stmfd::faults
