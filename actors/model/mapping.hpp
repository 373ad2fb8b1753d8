#pragma once
// COMSTAR's LUN mapping (stmfadm create-hg/-tg, add-view; STMF's view
// entries): which LU an initiator sees at which LUN through which target.
// Pure: no CAF, no io. The daemon builds it from the config
// (mapping_from_config) and, later, the admin plane edits it; the port
// provider asks luns_for() when a session logs in and for REPORT LUNS.
//
// Names: LU and group names are case-sensitive; port names (initiators,
// targets, group members) compare without case (wire::cfg::fold_case; RFC
// 3722 folds case, hex digits have none) and are kept as written.
//
// The invariant every operation keeps (check_mapping in mapping_check.hpp):
//  - LU and group names valid (wire::cfg::check_lu_name/check_group_name)
//    and unique within their kind;
//  - group members valid port names (wire::cfg::check_port_name); a port
//    is a member of at most one group of each kind (COMSTAR's rule);
//  - each view names an existing LU and existing groups, a valid `target`
//    or none, never both `target` and `target_group`, a LUN <= 16383;
//  - no two views that can cover the same I_T nexus give it the same LUN
//    or the same LU (views_overlap says when two can).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wire/config.capnp.h"

namespace stmfd {

// Highest LUN of SAM-5 4.7 flat space addressing (single level).
inline constexpr uint16_t max_lun = 16383;

struct host_group {
  std::string name;
  std::vector<std::string> members;  // initiator port names
};

struct target_group {
  std::string name;
  std::vector<std::string> members;  // target names
};

struct view_entry {
  std::string lu;            // LU name
  std::string host_group;    // empty: all initiators
  std::string target_group;  // empty: all targets (unless `target` is set)
  std::string target;        // non-empty: exactly this one target (a Target's `luns` list in
                             // the config); exclusive with target_group
  uint16_t lun = 0;          // 0..max_lun
};

struct lun_assignment {
  uint16_t lun;
  std::string lu;
};

// Everything the mapping holds, as plain data (the unit the invariant is
// checked on).
struct mapping_state {
  std::vector<host_group> host_groups;
  std::vector<target_group> target_groups;
  std::vector<view_entry> views;
  std::vector<std::string> lus;
};

// Selects the add_view overload that picks the LUN (stmfadm add-view
// without -n).
struct auto_lun_t {};
inline constexpr auto_lun_t auto_lun{};

// The outcome of add_view(view, auto_lun).
struct lun_or_error {
  std::optional<std::string> error;  // set: nothing changed
  uint16_t lun = 0;                  // when !error: the LUN the view got
};

// Every mutation is atomic: it applies to a copy, checks the whole
// invariant, and commits only when it holds. An error is one sentence that
// names the things involved; on error the mapping is unchanged.
class mapping {
 public:
  // Whole-model replace (config load). The lists are taken as given, in
  // order (a conflict is reported on the later view).
  std::optional<std::string> replace(std::vector<host_group> host_groups, std::vector<target_group> target_groups,
                                     std::vector<view_entry> views, std::vector<std::string> lu_names);

  // stmfadm create-hg / delete-hg / add-hg-member / remove-hg-member.
  // Deleting a group a view uses is refused.
  std::optional<std::string> create_host_group(std::string_view name);
  std::optional<std::string> delete_host_group(std::string_view name);
  std::optional<std::string> add_host_group_member(std::string_view group, std::string_view initiator);
  std::optional<std::string> remove_host_group_member(std::string_view group, std::string_view initiator);

  // stmfadm create-tg / delete-tg / add-tg-member / remove-tg-member.
  // Adding a target to a group is refused when it would make two views
  // conflict (a view through that target and one through the group).
  std::optional<std::string> create_target_group(std::string_view name);
  std::optional<std::string> delete_target_group(std::string_view name);
  std::optional<std::string> add_target_group_member(std::string_view group, std::string_view target);
  std::optional<std::string> remove_target_group_member(std::string_view group, std::string_view target);

  // stmfadm add-view -n: the view at view.lun.
  std::optional<std::string> add_view(view_entry view);
  // stmfadm add-view without -n: view.lun is ignored; the view gets the
  // lowest LUN that no view overlapping it uses.
  lun_or_error add_view(view_entry view, auto_lun_t);
  // stmfadm remove-view: the view with exactly these fields (`target`
  // compared without case).
  std::optional<std::string> remove_view(std::string_view lu, std::string_view host_group,
                                         std::string_view target_group, std::string_view target, uint16_t lun);

  // An LU comes or goes (stmfadm create-lu / delete-lu); removing one
  // removes its views.
  std::optional<std::string> add_lu(std::string_view name);
  std::optional<std::string> remove_lu(std::string_view name);

  // The LUNs the I_T nexus (initiator, target) sees, sorted by LUN.
  // initiator: iSCSI initiator name or "wwn.<16 hex>"; target: iSCSI target
  // name or "wwn.<16 hex>"; both compared without case.
  std::vector<lun_assignment> luns_for(std::string_view initiator, std::string_view target) const;

  // Read access for listing (admin plane), in creation order.
  const std::vector<host_group>& host_groups() const { return state_.host_groups; }
  const std::vector<target_group>& target_groups() const { return state_.target_groups; }
  const std::vector<view_entry>& views() const { return state_.views; }
  const std::vector<std::string>& lus() const { return state_.lus; }

 private:
  friend std::optional<std::string> mapping_from_config(wire::cfg::Config::Reader, mapping&);

  // Commits `next` when it keeps the invariant, else returns why not.
  std::optional<std::string> commit(mapping_state next);

  // Runs `change` (mapping_state& -> optional error) on a copy of the
  // state and commits the copy when `change` succeeds.
  template <class Change>
  std::optional<std::string> apply(Change&& change) {
    mapping_state next = state_;
    if (auto err = change(next)) return err;
    return commit(std::move(next));
  }

  mapping_state state_;
};

// Builds `out` from a loaded config (wire/config/loader.hpp): the LUs of
// logicalUnits, the groups, then each Target's `luns` entry as a view for
// all hosts through that target only (target = the target's name), then
// Config.views. On error `out` is unchanged; a problem with a view (in
// practice a conflict: the loader checks everything else) starts with the
// key path of that entry, "views[2]: ..." or "targets[0].luns[1]: ...".
std::optional<std::string> mapping_from_config(wire::cfg::Config::Reader config, mapping& out);

}  // namespace stmfd
