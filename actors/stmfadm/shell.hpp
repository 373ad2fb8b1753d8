#pragma once
// stmfadm: COMSTAR's admin shell for stmfd (stmfadm, sbdadm and itadm verbs
// in one binary). A client of wire/admin.capnp only.
//
// Exit codes (scripts rely on them; see stmfadm --help):
//   0 done                  5 conflict (LUN taken, member of another group, in use)
//   1 the daemon failed     6 invalid argument (bad name, IQN, size)
//   2 usage error           7 not implemented yet
//   3 not found             8 the daemon cannot be reached
//   4 already exists        9 permission denied
#include <memory>
#include <string>
#include <vector>

#include <kj/async.h>
#include <kj/timer.h>

#include "wire/admin.capnp.h"

namespace stmfd::stmfadm {

enum exit_code : int {
  exit_ok = 0,
  exit_failed = 1,
  exit_usage = 2,
  exit_not_found = 3,
  exit_exists = 4,
  exit_conflict = 5,
  exit_invalid = 6,
  exit_not_implemented = 7,
  exit_unreachable = 8,
  exit_denied = 9,
};

// Where the daemon is: its Unix socket, or (remote) HOST:PORT over TLS
// with a token (wire/config.capnp AdminSettings).
struct endpoint {
  std::string socket_path;  // used when `remote` is empty
  std::string remote;       // "host:port" (stmfadm --connect); TLS always
  std::string ca_file;      // PEM certificate(s) to trust (--ca); empty: the system's store
  std::string tls_name;     // the name the server's certificate must carry (default: remote's host)
  std::string token;        // sent with Admin.authenticate before the first verb
};

// The connection to the daemon, opened on first use and kept (the
// interactive mode runs many verbs over one).
class connection {
 public:
  explicit connection(endpoint ep);
  ~connection();
  // Connects on first use (TLS handshake and authenticate for a remote
  // daemon). Throws a kj::Exception when the daemon cannot be reached;
  // when the token is refused, throws too and denied() is set.
  wire::admin::Admin::Client& admin();
  kj::WaitScope& wait_scope();
  // The daemon's address for messages ("/run/stmfd/admin.sock", "host:port").
  const std::string& path() const { return ep_.remote.empty() ? ep_.socket_path : ep_.remote; }
  bool denied() const { return denied_; }
  // The daemon's reason when it refused the token (e.g. a login lockout).
  const std::string& denied_message() const { return denied_message_; }
  // The connection's timer (after admin() connected).
  kj::Timer& timer();

 private:
  struct state;
  endpoint ep_;
  std::unique_ptr<state> state_;
  bool denied_ = false;
  std::string denied_message_;
};

struct options {
  bool json = false;
  bool verbose = false;
};

// Runs one verb line (args[0] is the verb) as `program` (stmfadm, sbdadm or
// itadm): parses it with CLI11, calls the daemon, prints, and returns the
// exit code. Never throws.
int run_verb(const std::string& program, const std::vector<std::string>& args, connection& conn);

// The verbs of `program`, for --help and tab completion.
std::vector<std::string> verbs_of(const std::string& program);

// The interactive mode (libedit: history, tab completion of verbs).
int interactive(const std::string& program, connection& conn);

// Status -> exit code, printing the daemon's message on stderr when not ok.
int report(const std::string& program, wire::admin::Status::Reader status);

}  // namespace stmfd::stmfadm
