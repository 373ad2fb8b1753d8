// The LU shell's half of ALUA (SPC-4 5.15): the model (actors/model/alua)
// says which state each target port group is in for this LU; this file
// checks commands against the state of the group they came through,
// answers REPORT TARGET PORT GROUPS and SET TARGET PORT GROUPS for every LU
// kind, and posts ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h) when a state
// changes.
#include <algorithm>
#include <set>

#include <caf/all.hpp>

#include "actors/common/log.hpp"
#include "actors/lu/lu_actor.hpp"

namespace stmfd {

namespace {
namespace alua = scsi::alua;

lu_outcome check_condition(const scsi::sense_info& s) {
  lu_outcome o;
  o.status = scsi::status::check_condition;
  o.sense = s;
  return o;
}

// Every state this framework can put a group in (SPC-4 6.27 Table 170).
constexpr uint8_t supported_states = alua::supported::t_sup | alua::supported::o_sup | alua::supported::u_sup |
                                     alua::supported::s_sup | alua::supported::an_sup | alua::supported::ao_sup;
}  // namespace

std::optional<scsi::sense_code> lu_actor::alua_check(uint16_t relative_port_id, const command_info& info) const {
  const local_port* port = port_of(relative_port_id);
  if (port == nullptr) return std::nullopt;  // no registered port (a test driving the LU directly)
  return access_check(alua_.state_of(port->target_port_group), info);
}

void lu_actor::run_alua(uint64_t handle, task_ptr t) {
  auto task = t->task;
  auto cdb = task.getCdb();
  lu_command cmd;
  cmd.nexus = task.getNexus();
  cmd.cdb = cdb.begin();
  cmd.cdb_len = cdb.size();
  cmd.expected_length = task.getExpectedLength();
  cmd.data_out = t->data.data;
  cmd.data_out_len = task.getDataOutLength();
  cmd.port = port_of(task.getRelativePortId());
  const lu_outcome o =
      alua::is_rtpg(cmd.cdb, cmd.cdb_len) ? report_target_port_groups(cmd) : set_target_port_groups(cmd);
  complete(t, o, scratch_.data());
  release(handle);
}

// SPC-4 6.27: one descriptor per target port group that has a port, with
// this LU's state in it and the relative identifiers of its ports.
lu_outcome lu_actor::report_target_port_groups(const lu_command& cmd) {
  alua::rtpg_request req;
  if (auto s = alua::decode_rtpg(cmd.cdb, cmd.cdb_len, req)) return check_condition(*s);
  std::vector<alua::group_descriptor> groups;
  if (ports_) {
    std::set<uint16_t> ids;
    for (auto& p : *ports_) ids.insert(p.target_port_group);
    for (uint16_t id : ids) {
      alua::group_descriptor d;
      d.group = id;
      d.state = alua_.state_of(id);
      d.supported = supported_states;
      if (auto it = alua_status_.find(id); it != alua_status_.end()) d.status = it->second;
      for (auto& p : *ports_)
        if (p.target_port_group == id) d.relative_ports.push_back(p.relative_port_id);
      groups.push_back(std::move(d));
    }
  }
  lu_outcome o;
  const size_t cap = std::min<size_t>(req.allocation_length, scratch_.size());
  o.data_in_len = uint32_t(alua::build_rtpg(req.extended, 0, groups, scratch_.data(), cap));
  return o;
}

// SPC-4 6.36: every descriptor is checked before any state changes; the
// groups whose state changed get STATUS CODE 01h, and every other I_T
// nexus ASYMMETRIC ACCESS STATE CHANGED (SPC-4 5.15.2.3: not the one that
// asked).
lu_outcome lu_actor::set_target_port_groups(const lu_command& cmd) {
  alua::stpg_request req;
  if (auto s = alua::decode_stpg(cmd.cdb, cmd.cdb_len, req)) return check_condition(*s);
  const size_t len = std::min<size_t>(req.parameter_list_length, cmd.data_out_len);
  std::vector<alua::stpg_change> changes;
  if (len > 0 && cmd.data_out == nullptr)
    return check_condition(scsi::plain(scsi::sense::parameter_list_length_error()));
  if (auto s = alua::parse_stpg(cmd.data_out, len, changes)) return check_condition(*s);
  for (auto& c : changes) {
    const bool known = ports_ && std::any_of(ports_->begin(), ports_->end(),
                                             [&](const local_port& p) { return p.target_port_group == c.group; });
    if (!known) return check_condition(scsi::invalid_param_field(uint16_t(c.offset + 2)));
  }
  bool changed = false;
  for (auto& c : changes) {
    if (alua_.state_of(c.group) == c.state) continue;
    alua_.set(c.group, c.state);
    alua_status_[c.group] = alua::status_code::altered_by_stpg;
    changed = true;
    log::info("lu {}: target port group {} is {} (SET TARGET PORT GROUPS)", def_.name, c.group, alua::name_of(c.state));
    if (auto stmf = stmf_.get()) send(stmf, alua_atom::value, def_.name, c.group, uint8_t(c.state));
  }
  if (changed) ua_.post_all_except(cmd.nexus, scsi::sense::asymmetric_access_state_changed());
  return lu_outcome{};
}

// STMF's model changed (the admin plane; or it confirms an STPG): the
// groups whose state differs get STATUS CODE 02h and every nexus 2Ah/06h.
void lu_actor::set_alua(const lu_access& next) {
  bool changed = false;
  for (auto& e : next.groups) {
    if (alua_.state_of(e.group) == e.state) continue;
    alua_status_[e.group] = alua::status_code::altered_implicitly;
    changed = true;
  }
  for (auto& e : alua_.groups)  // a group the new view no longer lists is active/optimized again
    if (e.state != access_state::active_optimized &&
        std::none_of(next.groups.begin(), next.groups.end(), [&](auto& n) { return n.group == e.group; })) {
      alua_status_[e.group] = alua::status_code::altered_implicitly;
      changed = true;
    }
  alua_ = next;
  if (changed) ua_.post_all(scsi::sense::asymmetric_access_state_changed());
}

// A live reconfig added, removed or regrouped local ports, or a port's state
// changed (stmf_targets.cpp): REPORT TARGET PORT GROUPS, the VPD 83h
// designators and REGISTER AND MOVE use the new list from the next command
// on. A port that stays but changed its designators (another target port
// group) changes the Device Identification VPD page seen through it: every
// nexus gets INQUIRY DATA HAS CHANGED (SPC-4 7.8.1). The nexuses of a port
// that went away are logged out by its provider.
void lu_actor::set_ports(port_list next) {
  bool vpd_changed = false;
  if (ports_ && next)
    for (auto& p : *next)
      if (const local_port* old = port_of(p.relative_port_id); old && old->designators != p.designators)
        vpd_changed = true;
  ports_ = std::move(next);
  pr_target_ports();
  if (vpd_changed) {
    log::info("lu {}: a target port changed its group: INQUIRY DATA HAS CHANGED", def_.name);
    ua_.post_all(scsi::sense::inquiry_data_changed());
  }
}

}  // namespace stmfd
