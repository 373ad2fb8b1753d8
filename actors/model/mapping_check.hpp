#pragma once
// The invariant of a LUN mapping (listed in mapping.hpp) as a pure check of
// a mapping_state, and the overlap relation between views it rests on.
// Internal to actors/model/mapping*.cpp.

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "actors/model/mapping.hpp"

namespace stmfd::detail {

// The first broken rule: a message naming the things involved, and the
// index in mapping_state::views of the view it is about (npos: a rule
// about LUs or groups).
struct mapping_problem {
  static constexpr size_t npos = static_cast<size_t>(-1);
  std::string message;
  size_t view = npos;
};

// Empty when `s` keeps the whole invariant. Views are checked in order: a
// conflict is reported on the later of the two views.
std::optional<mapping_problem> check_mapping(const mapping_state& s);

// fold_case(target name) -> the name of the target group it belongs to.
using target_membership = std::map<std::string, std::string, std::less<>>;
target_membership target_groups_by_member(const std::vector<target_group>& groups);

// Whether some I_T nexus is covered by both views: their host sets overlap
// (all hosts overlaps every set; two different host groups never do, their
// members being disjoint) and their target sets overlap (all targets
// overlaps every set; a `target` t overlaps the group holding t and a view
// of the same t; two different target groups never overlap).
bool views_overlap(const view_entry& a, const view_entry& b, const target_membership& tgs);

// "host group 'hg1', all targets"
std::string describe_scope(const view_entry& v);
// "view of LU 'disk0' at LUN 3 (host group 'hg1', all targets)"
std::string describe_view(const view_entry& v);
// "'x'": how mapping messages quote a name.
std::string quote(std::string_view name);

}  // namespace stmfd::detail
