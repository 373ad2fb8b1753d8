#pragma once
// The admin plane's request handling (wire/admin.capnp says what each
// request means and which errors it returns). Runs on the admin thread.
// The committed configuration is the config file's text: every change is
// made on a copy, validated by the same loader `stmfd --config` uses,
// written atomically (config_writer.hpp), and only then applied to the
// running framework through the stmf_link. A refused request changes
// nothing: not the file, not the running daemon.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "actors/admin/config_document.hpp"
#include "actors/admin/stmf_link.hpp"
#include "actors/common/event_hub.hpp"
#include "actors/stmf/definitions.hpp"
#include "wire/admin.capnp.h"
#include "wire/config/loader.hpp"

namespace stmfd::admin {

using error_code = wire::admin::ErrorCode;

struct status {
  error_code code = error_code::OK;
  std::string message;
  bool ok() const { return code == error_code::OK; }
};

struct lu_listing {
  lu_definition def;
  lu_state state = lu_state::offline;
  std::string reason;
  uint32_t view_count = 0;
};

// One FC local port as listFcPorts reports it (wire/admin.capnp FcPortInfo).
struct fc_port_listing {
  local_port_detail detail;       // from the FC provider
  uint16_t relative_port_id = 0;  // from STMF's port registry
};

struct group_listing {
  std::string name;
  std::vector<std::string> members;
};

// A create-lu request (sbdadm create-lu): the config entry's fields.
using lu_request = lu_entry_fields;

// Issue 8 library verbs (admin_service_library.cpp, wire/admin.capnp).
// One element of a library as list-library -v shows it.
struct element_listing {
  uint8_t type = 0;     // SMC-3 element type: 1 transport, 2 slot, 3 import/export, 4 drive
  uint32_t number = 0;  // 1-based within its type (mtx's slot numbers)
  uint16_t address = 0;
  std::string barcode;  // empty: no cartridge
  std::optional<uint16_t> source;
  std::string drive;  // a drive's LU name
};
struct library_listing {
  library_entry entry;
  bool online = false;  // its changer answered (elements listed)
  std::vector<element_listing> elements;
};
struct cartridge_listing {
  std::string barcode, library, path;
  uint64_t capacity = 0, used = 0;
  bool write_protect = false;
  std::string location;  // "slot 3", "import/export 1", "drive NAME", "unknown" (changer not online)
  uint16_t address = 0;
  std::string error;  // the file could not be read (used/write_protect unset)
};
// Where a new cartridge goes: a 1-based slot or import/export element, or
// the first empty one (create-cartridge: a slot; import-cartridge: an
// import/export element when the library has one).
struct element_place {
  enum class kind : uint8_t { any, slot, import_export } where = kind::any;
  uint32_t number = 0;
};

// COMSTAR's GUID of an LU: its NAA designator as 32 uppercase hex digits.
std::string hex_guid(const lu_identity& id);
// itadm create-tpg: a portal group as the config holds it.
struct portal_group_entry {
  std::string name;
  uint16_t tag = 0;  // 0 in a request: the lowest free tag from 2
  std::vector<std::string> portals;
};

// itadm create-initiator: an initiator record (chap_user empty: its name).
struct initiator_entry {
  std::string name, chap_user, chap_secret;
};

class admin_service {
 public:
  // config_path: the file `--config` named (it is rewritten on every
  // change); text: its content as the daemon loaded it.
  admin_service(std::string config_path, std::string text, stmf_link& stmf);
  // Whether the text given at construction loaded; when not, every request
  // answers `failed` with this message.
  const std::string& load_error() const { return load_error_; }

  status list_lus(const std::string& name, std::vector<lu_listing>& out);
  status create_lu(const lu_request& req, std::string& guid);
  status delete_lu(const std::string& name_or_guid);
  status set_lu_online(const std::string& name_or_guid, bool online);
  // sbdadm modify-lu (admin_service_modify.cpp): `want` is the LU's whole
  // desired definition; size (grow only), writeCache, readOnly, thin,
  // vendor and product may differ from the current one. Applied live, then
  // committed.
  status modify_lu(const std::string& name_or_guid, const lu_request& want);
  // sbdadm import-lu (admin_service_import.cpp): an LU over the existing
  // regular file `path` (relative: in dataDir; it must resolve, symlinks
  // followed, inside dataDir) of its size rounded down to 512-byte blocks,
  // named `name` (empty: the file name without its extension). The config
  // entry says create false. Errors as create_lu, plus notFound (no file).
  status import_lu(const std::string& path, const std::string& name, std::string& guid);

  status list_groups(bool hosts, std::vector<group_listing>& out) const;
  status create_group(bool hosts, const std::string& name);
  status delete_group(bool hosts, const std::string& name);
  status add_member(bool hosts, const std::string& group, const std::string& member);
  status remove_member(bool hosts, const std::string& group, const std::string& member);

  // lun_given false: the lowest free LUN (add-view without -n); `lun` is
  // set to the LUN the view got. view.lu may be a GUID.
  status add_view(view_entry view, bool lun_given, uint16_t& lun);
  status remove_view(view_entry view);
  status list_views(const std::string& lu, std::vector<view_entry>& out);

  status list_targets(port_summary_list& out);
  // stmfadm list-fc-port (admin_fc.cpp): the FC local ports, in the
  // registry's order, with what their provider reports now.
  status list_fc_ports(std::vector<fc_port_listing>& out);
  // stmfadm list-session / logout-session (admin_sessions.cpp): every I_T
  // nexus (of `target`, empty: all; notFound for a target STMF has no
  // port for) with what its port provider reports; a forced logout
  // (notFound: no such nexus).
  status list_sessions(const std::string& target, session_listing& out);
  status logout_session(uint64_t nexus);
  // Every LU's, target port's and session's counters (admin_stats.cpp).
  status statistics(stats_list& out);

  // The transactional apply (admin_apply.cpp, wire/admin.capnp `apply`):
  // `text` is a whole config file. It is validated as `stmfd --config`
  // would; `diff` gets the difference with the committed one
  // (config_diff.hpp). Dry run: nothing changes. Otherwise all or nothing:
  // new LUs started first (a store that cannot open undoes the ones
  // started), then the file written atomically, then the mapping pushed
  // live and removed LUs stopped. Refused (conflict) when the difference
  // holds changes that need a restart.
  status apply(const std::string& text, bool dry_run, std::vector<std::string>& diff);
  // SIGHUP: apply() the config file's current content (it is not
  // rewritten when unchanged) and log the outcome.
  status reload();

  // The framework's event stream (subscribe); null: none. Set by main.
  void set_events(std::shared_ptr<event_hub> hub) { events_ = std::move(hub); }
  const std::shared_ptr<event_hub>& events() const { return events_; }

  // ALUA (wire/admin.capnp listAluaGroups, setAluaState).
  status list_alua(tpg_listing& out);
  status set_alua_state(uint16_t group, const std::string& state, const std::string& lu_name_or_guid);

  // Issue 8 library verbs (admin_service_library.cpp; wire/admin.capnp
  // says what each means and answers). Media files are read and written
  // through the registered providers (set_providers; main sets it).
  void set_providers(std::shared_ptr<const provider_registry> p) { providers_ = std::move(p); }
  status list_libraries(const std::string& name, std::vector<library_listing>& out);
  status create_library(const std::string& name, std::string changer, uint32_t slots, uint32_t import_export);
  status delete_library(const std::string& name, bool force);
  status create_tape_drive(const lu_request& req, const std::string& library, std::string& guid);
  status delete_tape_drive(const std::string& name, bool force);
  status create_cartridge(const std::string& library, const std::string& barcode, uint64_t size, element_place at);
  status import_cartridge(const std::string& library, const std::string& path, element_place at, std::string& barcode);
  status export_cartridge(const std::string& barcode, std::string& path);
  status list_cartridges(const std::string& library, std::vector<cartridge_listing>& out);
  status set_write_protect(const std::string& barcode, bool write_protect);
  // itadm (admin_service_itadm.cpp; wire/admin.capnp says what each
  // means). Each change is committed, then applied live.
  status create_target(target_entry req, std::string& name);
  status modify_target(const target_entry& req);
  status delete_target(const std::string& name, bool force);
  status set_target_online(const std::string& name, bool online);
  // A target's itadm settings as configured (name, alias, portal groups,
  // auth with secrets); false when there is no such target.
  bool target_settings(const std::string& name, target_entry& out) const;
  status create_tpg(portal_group_entry tpg);
  status delete_tpg(const std::string& name);
  status list_tpgs(std::vector<portal_group_entry>& out) const;
  status create_initiator(const initiator_entry& rec);
  status modify_initiator(const initiator_entry& rec);
  status delete_initiator(const std::string& name);
  status list_initiators(std::vector<initiator_entry>& out) const;
  // Empty fields: unchanged.
  status modify_defaults(const std::string& auth, const std::string& discovery_auth);
  status list_defaults(std::string& auth, std::string& discovery_auth) const;

  // The committed config text (tests).
  const std::string& text() const { return text_; }

 private:
  // The LU name for a name or GUID; empty when there is none.
  std::string resolve_lu(const std::string& name_or_guid) const;
  // Renders `change` over the committed text, validates it, writes it
  // atomically and makes it the committed state. Does not touch STMF.
  status commit(const document_change& change);
  // A mapping edit: run `op` on a copy of the views, commit, push live.
  template <class Op>
  status edit_mapping(Op&& op);
  void reload_views();
  // A change rendered over the committed text and validated, not yet
  // written (stage), then written and adopted (install).
  struct staged {
    std::string text;
    wire::cfg::load_result loaded;
    std::optional<stmf_definitions> defs;
  };
  status stage(const document_change& change, staged& out) const;
  status install(staged& s);
  // `path` (relative: in dataDir) with symlinks followed; it must exist
  // and lie inside dataDir (notFound, permissionDenied otherwise).
  status existing_in_data_dir(const std::string& path, std::filesystem::path& real) const;
  // Library helpers (admin_service_library.cpp).
  std::vector<library_entry> library_model() const;
  std::optional<stmf_definitions> current_defs() const;
  std::shared_ptr<const library_definition> library_def(const std::optional<stmf_definitions>& defs,
                                                        const std::string& lib) const;
  status apply_library_change(const std::string& changer, const library_change& c);
  status library_commit(const document_change& change, const std::string& lib, library_change c);
  // Commits an itadm change and hands the committed config to STMF.
  status commit_ports(const document_change& change);
  // The current portal groups / initiator records as config JSON text.
  std::vector<portal_group_entry> portal_groups() const;
  std::vector<initiator_entry> initiators() const;
  // Checks every portal of `tpg` against the host and the other groups.
  status check_new_portals(portal_group_entry& tpg) const;

  std::string path_, base_dir_, text_, load_error_;
  wire::cfg::load_result loaded_;
  mapping views_;
  std::vector<lu_definition> lus_;
  target_port_groups alua_;  // the config's targetPortGroups
  stmf_link& stmf_;
  std::shared_ptr<event_hub> events_;
  std::shared_ptr<const provider_registry> providers_;
};

}  // namespace stmfd::admin
