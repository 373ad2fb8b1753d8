#pragma once
// The verbs' shared pieces (stmfadm internal): the per-invocation context,
// the runner a verb definition returns, and the LU and target verbs
// (verbs_lu.cpp) that the verb table in verbs.cpp lists.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "actors/stmfadm/shell.hpp"

namespace stmfd::stmfadm {

using runner = std::function<int(connection&)>;

struct context {
  std::string program;
  bool json = false;
  bool verbose = false;
};

inline std::string str(capnp::Text::Reader t) { return {t.cStr(), t.size()}; }
// The daemon answered OK. A listing verb prints nothing but the error when
// not (report() prints it on stderr and gives the exit code).
inline bool ok(wire::admin::Status::Reader s) { return s.getCode() == wire::admin::ErrorCode::OK; }

runner list_lu(CLI::App& app, std::shared_ptr<context> c);
runner online_lu(CLI::App& app, std::shared_ptr<context> c);
runner offline_lu(CLI::App& app, std::shared_ptr<context> c);
runner create_lu(CLI::App& app, std::shared_ptr<context> c);
runner delete_lu(CLI::App& app, std::shared_ptr<context> c);
runner modify_lu(CLI::App& app, std::shared_ptr<context> c);  // verbs_modify.cpp
runner import_lu(CLI::App& app, std::shared_ptr<context> c);  // verbs_modify.cpp
runner list_target(CLI::App& app, std::shared_ptr<context> c);
// ALUA (verbs_alua.cpp).
runner list_tpg_alua(CLI::App& app, std::shared_ptr<context> c);
runner set_alua_state(CLI::App& app, std::shared_ptr<context> c);
runner list_fc_port(CLI::App& app, std::shared_ptr<context> c);  // verbs_fc.cpp
runner list_stats(CLI::App& app, std::shared_ptr<context> c);    // verbs_stats.cpp
runner apply_config(CLI::App& app, std::shared_ptr<context> c);  // verbs_apply.cpp
runner watch_events(CLI::App& app, std::shared_ptr<context> c);  // verbs_watch.cpp
// Sessions (verbs_sessions.cpp); list-target -v prints a target's sessions.
runner list_session(CLI::App& app, std::shared_ptr<context> c);
runner logout_session(CLI::App& app, std::shared_ptr<context> c);
// Prints a target's sessions; an error goes to stderr and is the exit code.
int print_target_sessions(const std::string& program, connection& conn, const std::string& target);
// Tape libraries (verbs_library.cpp, issue 8).
runner list_library(CLI::App& app, std::shared_ptr<context> c);
runner create_library(CLI::App& app, std::shared_ptr<context> c);
runner delete_library(CLI::App& app, std::shared_ptr<context> c);
runner create_tape_drive(CLI::App& app, std::shared_ptr<context> c);
runner delete_tape_drive(CLI::App& app, std::shared_ptr<context> c);
runner create_cartridge(CLI::App& app, std::shared_ptr<context> c);
runner import_cartridge(CLI::App& app, std::shared_ptr<context> c);
runner export_cartridge(CLI::App& app, std::shared_ptr<context> c);
runner list_cartridge(CLI::App& app, std::shared_ptr<context> c);
runner set_write_protect(CLI::App& app, std::shared_ptr<context> c);
// Fault injection for system tests (verbs_faults.cpp).
runner inject_fault(CLI::App& app, std::shared_ptr<context> c);
runner list_faults(CLI::App& app, std::shared_ptr<context> c);
runner clear_faults(CLI::App& app, std::shared_ptr<context> c);

// One verb of the table: its name, the programs that offer it (a
// substring match over "stmfadm sbdadm itadm"), help, and its definition.
struct verb_entry {
  const char* name;
  const char* programs;
  const char* help;
  std::function<runner(CLI::App&, std::shared_ptr<context>)> define;
};
// itadm's verbs and online/offline-target (verbs_itadm.cpp).
const std::vector<verb_entry>& itadm_verbs();

}  // namespace stmfd::stmfadm
